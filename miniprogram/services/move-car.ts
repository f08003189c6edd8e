/** The `moveCar` function: asking the owner of a car in the way to move it, and answering requests for one's own cars. */
import type { MoveCarRequestView, IncomingMoveCarItem, RecognisedPlate } from '../domain/move-car/contract';
import { type MoveCarReply } from '../domain/move-car/move-car';
import { call } from './cloud';
import { faultUploadTarget, uploadFaultPhoto } from './fault';

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

/** The plate on an uploaded photo (deleted by the cloud afterwards, whatever it read). */
function recognisePlate(fileID: string): Promise<RecognisedPlate> {
  return call('moveCar', 'recognisePlate', { fileID });
}

/** Uploads the photo at `filePath` into the caller's own upload folder (the fault photos' one), then reads its plate. */
export async function scanPlate(filePath: string): Promise<RecognisedPlate> {
  const { dir } = await faultUploadTarget();
  return recognisePlate(await uploadFaultPhoto(dir, filePath, 0, Date.now()));
}
