/**
 * Subscribe messages (订阅消息) through the cloud call WeChat provides, `cloud.openapi.subscribeMessage.send`
 * (the function's config.json grants `subscribeMessage.send`); the local cloud answers it from its sandbox outbox.
 */
import type { TemplateData } from '../../../miniprogram/domain/reminder/reminders';
import { cloud } from '../cloud';

export interface OutgoingMessage {
  touser: string;
  templateId: string;
  page: string;
  data: TemplateData;
}

/** WeChat refused the message (`errcode` as WeChat gives it); null when the outcome is unknown (timeout, network). */
export class MessageSendError extends Error {
  constructor(
    readonly errcode: number | null,
    message: string,
  ) {
    super(message);
  }
}

/** WeChat's answer when the user has no one-time subscription left for the template. */
export const ERRCODE_NO_SUBSCRIPTION = 43101;

export interface MessagePort {
  send(message: OutgoingMessage): Promise<void>;
}

type SubscribeReply = { errCode?: number; errMsg?: string } | undefined;
type SubscribeSend = (options: Record<string, unknown>) => Promise<SubscribeReply>;

function errcodeOf(error: unknown): number | null {
  const code = (error as { errCode?: unknown } | null)?.errCode;
  return typeof code === 'number' && code !== 0 ? code : null;
}

export const cloudMessages: MessagePort = {
  async send(message) {
    const send = (cloud.openapi as { subscribeMessage: { send: SubscribeSend } }).subscribeMessage.send;
    let reply: SubscribeReply;
    try {
      reply = await send({
        touser: message.touser,
        templateId: message.templateId,
        page: message.page,
        data: message.data,
        // developer / trial / formal: which build of the mini program the message opens
        miniprogramState: process.env['MINIPROGRAM_STATE'] || 'formal',
      });
    } catch (error) {
      throw new MessageSendError(errcodeOf(error), String((error as { message?: unknown } | null)?.message ?? error));
    }
    if (typeof reply?.errCode === 'number' && reply.errCode !== 0)
      throw new MessageSendError(reply.errCode, reply.errMsg ?? 'send failed');
  },
};
