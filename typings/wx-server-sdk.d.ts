// Fixes to wx-server-sdk 4.0.2's own index.d.ts, merged into it (module augmentation), for the server and
// test programs. Its declarations type-check under our strict flags, but:
// - `init({ env: cloud.DYNAMIC_CURRENT_ENV })`, the documented call, is rejected (env is typed string only);
// - every promise-returning call is typed `Promise<T> | void | string` (the callback-style leftovers), so
//   `await` yields a union nobody can use; the overloads below come first and give `Promise<T>`;
// - transactions are `any`; `cloudPay` (WeChat Pay) is missing.
import 'wx-server-sdk';

declare module 'wx-server-sdk' {
  export interface InitOptions {
    /** An env id, or `DYNAMIC_CURRENT_ENV` for the environment the function runs in. */
    env?: string | symbol | { database?: string; functions?: string; storage?: string };
    traceUser?: boolean;
    timeout?: number;
  }
  export function init(config?: InitOptions): void;

  export function callFunction(param: ICloud.CallFunctionParam): Promise<ICloud.CallFunctionResult>;
  export function getTempFileURL(param: ICloud.GetTempFileURLParam): Promise<ICloud.GetTempFileURLResult>;
  export function deleteFile(param: ICloud.DeleteFileParam): Promise<ICloud.DeleteFileResult>;

  /** WeChat Pay for cloud functions (`cloud.cloudPay.unifiedOrder(...)`); fields as WeChat Pay names them. */
  export const cloudPay: CloudPay.API;

  namespace CloudPay {
    interface API {
      unifiedOrder(param: UnifiedOrderParam): Promise<UnifiedOrderResult>;
      queryOrder(param: {
        subMchId: string;
        outTradeNo?: string;
        transactionId?: string;
        nonceStr?: string;
      }): Promise<Result>;
      closeOrder(param: { subMchId: string; outTradeNo: string; nonceStr?: string }): Promise<Result>;
      refund(param: RefundParam): Promise<Result>;
      queryRefund(param: {
        subMchId: string;
        outTradeNo?: string;
        outRefundNo?: string;
        transactionId?: string;
        refundId?: string;
        nonceStr?: string;
      }): Promise<Result>;
    }
    interface UnifiedOrderParam {
      body: string;
      outTradeNo: string;
      spbillCreateIp: string;
      subMchId: string;
      /** In fen. */
      totalFee: number;
      envId: string;
      /** The cloud function WeChat Pay calls back with the result. */
      functionName: string;
      nonceStr?: string;
      tradeType?: 'JSAPI';
      attach?: string;
      timeStart?: string;
      timeExpire?: string;
    }
    interface RefundParam {
      subMchId: string;
      outTradeNo?: string;
      transactionId?: string;
      outRefundNo: string;
      totalFee: number;
      refundFee: number;
      envId: string;
      functionName: string;
      nonceStr?: string;
      refundDesc?: string;
    }
    interface Result {
      errCode: number;
      errMsg: string;
      returnCode?: 'SUCCESS' | 'FAIL';
      returnMsg?: string;
      resultCode?: 'SUCCESS' | 'FAIL';
      errCodeDes?: string;
      [field: string]: unknown;
    }
    interface UnifiedOrderResult extends Result {
      /** What the mini program passes to `wx.requestPayment`. */
      payment?: {
        appId: string;
        timeStamp: string;
        nonceStr: string;
        package: string;
        signType: string;
        paySign: string;
      };
    }
  }

  namespace DB {
    interface Database {
      runTransaction<T>(run: (transaction: Transaction) => Promise<T>, retry?: number): Promise<T>;
      startTransaction(): Promise<Transaction>;
    }
    /** `db.runTransaction` / `db.startTransaction`: documents through `collection(name).doc(id)` only. */
    interface Transaction {
      collection(collectionName: string): CollectionReference;
      commit(): Promise<unknown>;
      /** Aborts; in `runTransaction` the promise then rejects with `reason`. */
      rollback(reason?: unknown): Promise<unknown>;
    }
    interface CollectionReference {
      add(options: IAddDocumentOptions): Promise<IAddResult>;
    }
    interface DocumentReference {
      get(options?: IGetDocumentOptions): Promise<IQuerySingleResult>;
      set(options?: ISetSingleDocumentOptions): Promise<ISetResult>;
      update(options?: IUpdateSingleDocumentOptions): Promise<IUpdateResult>;
      remove(options?: IRemoveSingleDocumentOptions): Promise<IRemoveResult>;
    }
    interface Query {
      get(options?: IGetDocumentOptions): Promise<IQueryResult>;
      update(options?: IUpdateDocumentOptions): Promise<IUpdateResult>;
      remove(options?: IRemoveDocumentOptions): Promise<IRemoveResult>;
      count(options?: ICountDocumentOptions): Promise<ICountResult>;
    }
    interface Aggregate {
      end(): Promise<IAggregateResult>;
    }
  }
}
