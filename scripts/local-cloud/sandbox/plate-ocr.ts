/**
 * SANDBOX — WeChat's plate OCR (车牌识别, `POST /cv/ocr/platenum?img_url=…&access_token=…`). A sandbox cannot read a
 * photo, so a person plays "what the camera sees": POST /sandbox/ocr { openid, plate } sets the plate that the next
 * photo of that person shows. When a function asks for a plate, the sandbox fetches img_url as WeChat would (a
 * signed temporary URL of the local cloud's storage), learns who uploaded the file from the storage metadata the
 * URL answers with (`x-cos-meta-uploader`), and answers that person's plate once; nothing set is WeChat's 101001
 * "no plate in the image". Every answer says `sandbox: true`. State lives in `sandbox_ocr` (survives restarts).
 */
import type { Store } from '../store/types';
import type { LocalClock } from '../clock';

const PLATE_OCR = 'sandbox_ocr';

const OPENID = /^[\w-]{1,64}$/;
/** Longer than any plate, so a tester can also play a misread ("桂A·B2C34 ", "ABC"). */
const PLATE_MAX = 16;
const FETCH_TIMEOUT_MS = 5000;
/** WeChat's OCR errcodes: the image could not be fetched (101000); no plate in it (101001). */
const IMAGE_URL_ERROR = 101000;
const NO_PLATE = 101001;

type Json = Record<string, unknown>;

export interface PlateOcrReply {
  status: number;
  body: Json;
}

/** The uploader of the image behind `url`, as its storage answers (null when none is named), or why it failed. */
export type ImageFetch = (
  url: string,
) => Promise<{ ok: true; uploader: string | null } | { ok: false; reason: string }>;

/** GETs the URL as WeChat's OCR does; the local cloud's storage names the uploader in x-cos-meta-uploader. */
const fetchImage: ImageFetch = async (url) => {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    await response.arrayBuffer();
    if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
    return { ok: true, uploader: response.headers.get('x-cos-meta-uploader') };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
};

export class PlateOcrSandbox {
  constructor(
    private readonly store: Store,
    private readonly clock: LocalClock,
    private readonly fetchImageOf: ImageFetch = fetchImage,
  ) {}

  /** POST /sandbox/ocr { openid, plate }: the plate the camera will see (null or '' = a photo with no plate). */
  set(input: Json): PlateOcrReply {
    const openid = input['openid'];
    const plate = input['plate'] ?? null;
    if (typeof openid !== 'string' || !OPENID.test(openid)) return invalid('openid must be 1-64 of [A-Za-z0-9_-]');
    if (plate !== null && (typeof plate !== 'string' || plate.length > PLATE_MAX))
      return invalid(`plate must be a string of at most ${PLATE_MAX} characters, or null`);
    const value = plate === '' ? null : plate;
    this.store.update(
      PLATE_OCR,
      { _id: openid },
      { $set: { plate: value, setAt: this.clock.now() } },
      { multi: false, upsert: true, replace: false },
    );
    return { status: 200, body: { sandbox: true, openid, plate: value } };
  }

  /** GET /sandbox/ocr?openid=…: the plate waiting for that person's next photo, and how many photos were read. */
  show(query: URLSearchParams): PlateOcrReply {
    const openid = query.get('openid') ?? '';
    if (!OPENID.test(openid)) return invalid('GET /sandbox/ocr?openid=<openid>');
    const [doc] = this.store.find(PLATE_OCR, { _id: openid }, { limit: 1 });
    return { status: 200, body: { sandbox: true, openid, plate: doc?.['plate'] ?? null, reads: doc?.['reads'] ?? 0 } };
  }

  /** cv/ocr/platenum, the access token already checked: WeChat's answer for the image at img_url. */
  async read(query: URLSearchParams): Promise<Json> {
    const url = query.get('img_url') ?? '';
    if (!/^https?:\/\//.test(url))
      return { errcode: IMAGE_URL_ERROR, errmsg: 'img_url is missing or not an http(s) URL (sandbox)', sandbox: true };
    const image = await this.fetchImageOf(url);
    if (!image.ok)
      return { errcode: IMAGE_URL_ERROR, errmsg: `could not fetch img_url: ${image.reason} (sandbox)`, sandbox: true };
    const uploader = image.uploader ?? '';
    const [doc] = uploader ? this.store.find(PLATE_OCR, { _id: uploader }, { limit: 1 }) : [];
    const plate = typeof doc?.['plate'] === 'string' ? doc['plate'] : null;
    if (uploader) {
      // one photo, one plate: the next photo shows nothing until the person says what the camera sees again
      this.store.update(
        PLATE_OCR,
        { _id: uploader },
        { $set: { plate: null, lastReadAt: this.clock.now() }, $inc: { reads: 1 } },
        { multi: false, upsert: true, replace: false },
      );
    }
    if (plate === null)
      return {
        errcode: NO_PLATE,
        errmsg: `no plate in the image: POST /sandbox/ocr {"openid":"${uploader || '<uploader>'}","plate":"…"} first (sandbox)`,
        sandbox: true,
      };
    return { errcode: 0, errmsg: 'ok', number: plate, sandbox: true };
  }
}

function invalid(errMsg: string): PlateOcrReply {
  return { status: 400, body: { sandbox: true, errCode: 'INVALID', errMsg } };
}
