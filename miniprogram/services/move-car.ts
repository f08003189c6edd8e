/** The `moveCar` function: asking the owner of a car in the way to move it, and answering requests for one's own cars. */
import { type IncomingMoveCarItem, type MoveCarRequestView } from '../domain/api';
import { type MoveCarReply } from '../domain/move-car';
import { call } from './cloud';

/** `place` '' is sent as no place. */
export function requestMoveCar(plate: string, place: string): Promise<MoveCarRequestView> {
  return call('moveCar', 'request', place === '' ? { plate } : { plate, place });
}

export async function myMoveCarRequests(): Promise<readonly MoveCarRequestView[]> {
  const { requests } = await call('moveCar', 'mine', {});
  return requests;
}

export function moveCarStatus(requestId: string): Promise<MoveCarRequestView> {
  return call('moveCar', 'status', { requestId });
}

export async function incomingMoveCarRequests(): Promise<readonly IncomingMoveCarItem[]> {
  const { requests } = await call('moveCar', 'incoming', {});
  return requests;
}

export function answerMoveCar(requestId: string, reply: MoveCarReply): Promise<IncomingMoveCarItem> {
  return call('moveCar', 'answer', { requestId, reply });
}
