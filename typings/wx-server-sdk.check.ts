// Type-level test of wx-server-sdk.d.ts (compiled by typings/tsconfig.check.json, never run): the calls the cloud
// functions make must type-check and give usable result types, not `Promise<T> | void | string`.
/* eslint-disable @typescript-eslint/no-unused-vars, @typescript-eslint/no-unnecessary-type-parameters --
   the results are read only through `typeof`, and Equals needs its one-use type parameters to compare types exactly. */
import * as cloud from 'wx-server-sdk';
import type { DB } from 'wx-server-sdk';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV, traceUser: true });

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const is = <T extends true>(): T | undefined => undefined;

export async function usage(): Promise<void> {
  const db = cloud.database();
  const _ = db.command;

  const list = await db
    .collection('violations')
    .where({ plate: _.eq('桂A12345') })
    .orderBy('occurredAt', 'desc')
    .limit(20)
    .get();
  is<Equals<typeof list, DB.IQueryResult>>();
  const one = await db.collection('violations').doc('v1').get();
  is<Equals<typeof one.data, DB.IDocumentData>>();
  const added = await db.collection('orders').add({ data: { amount: 20000, createdAt: db.serverDate() } });
  is<Equals<typeof added._id, DB.DocumentId>>();
  const updated = await db
    .collection('orders')
    .doc('o1')
    .update({ data: { status: 'paid' } });
  is<Equals<typeof updated.stats.updated, number>>();
  const counted = await db.collection('orders').where({}).count();
  is<Equals<typeof counted.total, number>>();
  const grouped = await db.collection('orders').aggregate().match({}).group({ _id: '$status' }).end();
  is<Equals<typeof grouped, DB.IAggregateResult>>();

  const decided = await db.runTransaction(async (tx) => {
    const doc = await tx.collection('violations').doc('v1').get();
    await tx
      .collection('violations')
      .doc('v1')
      .update({ data: { status: 'processed' } });
    return String(doc.data['plate']);
  }, 3);
  is<Equals<typeof decided, string>>();

  const tx = await db.startTransaction();
  await tx
    .collection('orders')
    .doc('o1')
    .set({ data: { status: 'closed' } });
  await tx.commit();

  const called = await cloud.callFunction({ name: 'payment', data: { action: 'status' } });
  is<Equals<typeof called, cloud.ICloud.CallFunctionResult>>();

  const order = await cloud.cloudPay.unifiedOrder({
    body: '交通违法罚款',
    outTradeNo: 'T1',
    spbillCreateIp: '127.0.0.1',
    subMchId: '1900000000',
    totalFee: 20000,
    envId: 'env',
    functionName: 'payCallback',
  });
  is<Equals<typeof order.payment, cloud.CloudPay.UnifiedOrderResult['payment']>>();

  const { OPENID } = cloud.getWXContext();
  is<Equals<typeof OPENID, string | undefined>>();
}
