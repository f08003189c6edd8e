/**
 * The text of a CSV file: UTF-8 (with or without the BOM Excel writes) when its bytes are valid UTF-8, otherwise GBK,
 * the encoding Excel on a Chinese Windows saves "CSV" in.
 */
export type TextEncodingName = 'utf-8' | 'gbk';

export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncodingName;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  try {
    // fatal: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD; the BOM is dropped by default
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
  }
}
