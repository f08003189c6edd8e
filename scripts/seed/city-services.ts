/**
 * The city services' demo data in the police system's import format (admin.importOffices / importGuides /
 * importTows): Nanning's traffic police offices, the four guides, and a tow of a demo car. Deterministic, imported
 * by the same idempotent upserts as the registries. The guides are written to be corrected: the police re-import a
 * guide with the same guideId and the app shows the new text at once.
 *
 * Offices and tow yards are ILLUSTRATIVE: real-looking names, roads and GCJ-02 coordinates in Nanning's districts,
 * not an official directory — replace them with the police's own list (same format) before going live.
 */

import type { OfficeRow, GuideRow, TowRow } from '../../cloudfunctions/_shared/police/contract';
import { GUIDE_IDS } from '../../miniprogram/domain/guide/offices';

const WEEKDAYS = '周一至周五 08:30–12:00，14:30–17:30（法定节假日除外）';
const EVERY_DAY = '周一至周日 08:30–17:30（春节假期除外）';

const DEMO_OFFICES: readonly OfficeRow[] = [
  {
    officeId: 'NN-CGS',
    name: '南宁市公安局交警支队车辆管理所',
    address: '南宁市西乡塘区友爱北路 53 号',
    latitude: 22.85316,
    longitude: 108.30214,
    hours: EVERY_DAY,
    services: ['vehicle', 'licence', 'inspection', 'violation'],
    status: 'open',
  },
  {
    officeId: 'NN-QX',
    name: '青秀交警大队违法处理中心',
    address: '南宁市青秀区民族大道 136 号',
    latitude: 22.81722,
    longitude: 108.39587,
    hours: WEEKDAYS,
    services: ['violation', 'dispute', 'study', 'accident'],
    status: 'open',
  },
  {
    officeId: 'NN-XN',
    name: '兴宁交警大队违法处理中心',
    address: '南宁市兴宁区长堽路 89 号',
    latitude: 22.84153,
    longitude: 108.37609,
    hours: WEEKDAYS,
    services: ['violation', 'dispute', 'accident'],
    status: 'open',
  },
  {
    officeId: 'NN-JN',
    name: '江南交警大队违法处理中心',
    address: '南宁市江南区星光大道 213 号',
    latitude: 22.78912,
    longitude: 108.29833,
    hours: WEEKDAYS,
    services: ['violation', 'dispute', 'accident'],
    status: 'open',
  },
  {
    officeId: 'NN-XXT',
    name: '西乡塘交警大队违法处理中心',
    address: '南宁市西乡塘区大学东路 98 号',
    latitude: 22.83804,
    longitude: 108.29114,
    hours: WEEKDAYS,
    services: ['violation', 'dispute', 'study', 'accident'],
    status: 'open',
  },
  {
    officeId: 'NN-LQ',
    name: '良庆交警大队五象车驾管服务站',
    address: '南宁市良庆区五象大道 401 号',
    latitude: 22.75806,
    longitude: 108.38727,
    hours: EVERY_DAY,
    services: ['licence', 'vehicle', 'violation', 'dispute'],
    status: 'open',
  },
  {
    officeId: 'NN-YN',
    name: '邕宁交警大队车驾管服务站',
    address: '南宁市邕宁区蒲庙镇龙岗大道 12 号',
    latitude: 22.75917,
    longitude: 108.48321,
    hours: WEEKDAYS,
    services: ['licence', 'violation', 'dispute'],
    status: 'open',
  },
  {
    officeId: 'NN-WM',
    name: '武鸣交警大队车驾管服务站',
    address: '南宁市武鸣区城厢镇灵源路 66 号',
    latitude: 23.15912,
    longitude: 108.27498,
    hours: WEEKDAYS,
    services: ['licence', 'inspection', 'violation', 'dispute'],
    status: 'open',
  },
  {
    officeId: 'NN-KS',
    name: '南宁市机动车驾驶人考试中心（满分学习教室）',
    address: '南宁市西乡塘区安吉大道 28 号',
    latitude: 22.86472,
    longitude: 108.28566,
    hours: WEEKDAYS,
    services: ['study', 'licence'],
    status: 'open',
  },
  {
    officeId: 'NN-JC-AJ',
    name: '安吉机动车安全技术检验站',
    address: '南宁市西乡塘区安吉大道 150 号',
    latitude: 22.87018,
    longitude: 108.27902,
    hours: EVERY_DAY,
    services: ['inspection'],
    status: 'open',
  },
  {
    officeId: 'NN-JC-SJ',
    name: '沙井机动车安全技术检验站',
    address: '南宁市江南区沙井大道 36 号',
    latitude: 22.77215,
    longitude: 108.26731,
    hours: EVERY_DAY,
    services: ['inspection'],
    status: 'open',
  },
];

const IN_APP = '本小程序';

const DEMO_GUIDES: readonly GuideRow[] = [
  {
    guideId: GUIDE_IDS.renewal,
    order: 10,
    title: '驾驶证换证（有效期满换证）',
    summary: '驾驶证有效期满前 90 日内申请换证，可网上办理，也可到车管所或车驾管服务站办理。',
    officeService: 'licence',
    sections: [
      {
        heading: '什么时候办',
        items: [
          '驾驶证有效期满前 90 日内申请换领新证。',
          `${IN_APP}“驾驶证记分”页会在有效期满前 90 日提示您换证。`,
          '超过有效期仍未换证的，驾驶证不能继续使用；超过有效期一年以上未换证的，驾驶证将被注销，请尽早办理。',
        ],
      },
      {
        heading: '带什么材料',
        items: [
          '本人居民身份证。',
          '县级或者部队团级以上医疗机构出具的有关身体条件的证明（已联网的体检机构可提交电子体检信息）。',
          '近期免冠证件照片（部分窗口可现场采集）。',
        ],
      },
      {
        heading: '在哪里办',
        items: [
          '网上：“交管12123”App → 驾驶证业务 → 期满换证，新证邮寄到家。',
          '线下：南宁市车辆管理所，或各城区、县（区）车驾管服务站（见下方“查看办理网点”）。',
        ],
      },
      {
        heading: '费用与时限',
        items: [
          '工本费按广西收费标准收取（以窗口公示为准），邮寄费用另付。',
          '材料齐全的，窗口当场换发；网上办理一般 3–5 个工作日寄达。',
        ],
      },
    ],
  },
  {
    guideId: GUIDE_IDS.inspection,
    order: 20,
    title: '机动车年检（安全技术检验）',
    summary: '非营运小微型载客汽车 10 年内免上线检验，第 6 年、第 10 年申领检验标志；10 年以上每年上线检验一次。',
    officeService: 'inspection',
    sections: [
      {
        heading: '检验周期（非营运小型、微型载客汽车，面包车除外）',
        items: [
          '注册登记之日起 10 年内免予上线检验，在第 6 年、第 10 年向公安交管部门申领检验标志。',
          '超过 10 年的，每年上线检验 1 次。',
          '面包车、7 座及以上车辆和营运车辆的检验周期不同，请以检验机构告知为准。',
        ],
      },
      {
        heading: '办理前先确认',
        items: [
          '车辆的违法行为和交通事故已处理完毕（可在本小程序“违法处理”中查询、处理电子监控违法）。',
          `交强险在有效期内（可在${IN_APP}“电子保单”查询平安保险的电子保单）。`,
          '车船税已缴纳（交强险保单上一般载有完税信息）。',
        ],
      },
      {
        heading: '带什么材料',
        items: ['机动车行驶证。', '交强险保单（电子保单即可）。', '上线检验的，将车辆开到检验机构。'],
      },
      {
        heading: '在哪里办',
        items: [
          '免检车辆申领检验标志：“交管12123”App → 机动车业务 → 申领免检标志，领取电子检验标志。',
          '上线检验：到机动车安全技术检验站（见下方“查看办理网点”），检验合格后发放检验标志。',
        ],
      },
    ],
  },
  {
    guideId: GUIDE_IDS.dispute,
    order: 30,
    title: '对违法记录有异议',
    summary: '对电子监控违法记录有异议的，不能在网上处理，请本人到违法行为发生地的公安交管部门（交警大队）现场处理。',
    officeService: 'dispute',
    sections: [
      {
        heading: '哪些情况可以提出异议',
        items: [
          '车辆被套牌，或违法时车辆已被盗抢。',
          '为避让执行紧急任务的警车、消防车、救护车等而违反交通信号。',
          '号牌识别错误等违法记录本身有误的情况。',
        ],
      },
      {
        heading: '带什么材料',
        items: [
          '本人居民身份证、驾驶证。',
          '机动车行驶证。',
          '能证明异议理由的材料（如报案回执、照片、视频、行车记录仪录像等）。',
        ],
      },
      {
        heading: '怎么办',
        items: [
          '到违法行为发生地的交警大队违法处理窗口（见下方“查看办理网点”），向民警说明异议并提交材料。',
          '民警调取违法证据复核：异议成立的，依法撤销该违法记录；不成立的，依法处理。',
          `提出异议期间，该违法在${IN_APP}中显示为“不能网上处理”。`,
        ],
      },
    ],
  },
  {
    guideId: GUIDE_IDS.study,
    order: 40,
    title: '记分学习与满分学习',
    summary: '记分未满 12 分可参加学习考试减免记分；记满 12 分须参加满分学习并考试，合格后才能继续驾驶。',
    officeService: 'study',
    sections: [
      {
        heading: '记分未满 12 分：学法减分',
        items: [
          '一个记分周期内记分未满 12 分、且符合条件的，可参加道路交通安全法律法规和相关知识学习、考试，减免部分记分。',
          '网上学习：“交管12123”App → 学法减分，学习并考试合格后扣减相应记分。',
          '现场学习：到车管所或交警大队参加现场学习、考试，或参加交通安全公益活动。',
          '一个记分周期内累计最多减免 6 分；驾驶证在实习期内、记分周期内有记满 12 分记录等情形不能参加，具体以“交管12123”App 提示为准。',
        ],
      },
      {
        heading: '记满 12 分：满分学习',
        items: [
          '一个记分周期内累积记分达到 12 分的，驾驶证被扣留，须参加为期七天的道路交通安全法律法规和相关知识学习。',
          '学习结束后参加科目一考试；两次以上达到 12 分或累积记分达到 24 分以上的，还须参加道路驾驶技能考试。',
          `记分达到 12 分后，违法不能在${IN_APP}网上处理，请到交警窗口办理。`,
        ],
      },
      {
        heading: '带什么材料',
        items: ['本人居民身份证。', '机动车驾驶证（满分学习时已被扣留的除外）。'],
      },
    ],
  },
];

/**
 * 李明's 桂A12345 is at a yard now (the page shows it and navigates there); his green car was towed and collected
 * earlier (released: not shown).
 */
const DEMO_TOWS: readonly TowRow[] = [
  {
    towId: 'TC4501002026110001',
    plate: '桂A12345',
    plateType: '02',
    towedAt: '2026-11-20T21:40:00+08:00',
    yardName: '南宁市交警支队青秀区清障停车场',
    yardAddress: '南宁市青秀区竹溪大道 258 号',
    latitude: 22.82463,
    longitude: 108.35811,
    fee: 30000,
    yardHours: '24 小时（取车请携带行驶证、驾驶证和身份证）',
    yardPhone: '0771-5550188',
    status: 'towed',
  },
  {
    towId: 'TC4501002026090007',
    plate: '桂AD12345',
    plateType: '52',
    towedAt: '2026-09-03T08:15:00+08:00',
    yardName: '南宁市交警支队江南区清障停车场',
    yardAddress: '南宁市江南区白沙大道 77 号',
    latitude: 22.79625,
    longitude: 108.31977,
    fee: 20000,
    yardHours: '24 小时',
    yardPhone: '0771-5550177',
    status: 'released',
  },
];

/** The batches the seed imports (after the registries, so the towed car is a registered one). */
export type CityServiceKind = 'offices' | 'guides' | 'tows';

export function* cityServiceBatches(): Generator<{ kind: CityServiceKind; rows: unknown[] }> {
  yield { kind: 'offices', rows: [...DEMO_OFFICES] };
  yield { kind: 'guides', rows: [...DEMO_GUIDES] };
  yield { kind: 'tows', rows: [...DEMO_TOWS] };
}
