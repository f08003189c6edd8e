/**
 * multipart/form-data as the SDK's open-API calls send it (the `form-data` package): text fields, and requestData
 * as a Buffer part with `Content-Type: application/octet-stream` but no filename. The WHATWG parser
 * (`Response.formData()`) turns every part without a filename into a UTF-8 string, which corrupts protobuf bytes,
 * so parts are cut out of the raw body here: a part with a filename or a non-text content type stays a Buffer.
 */

class MultipartError extends Error {}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function boundaryOf(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new MultipartError('multipart/form-data without a boundary');
  return boundary;
}

function headerParam(header: string, name: string): string | undefined {
  const match =
    new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(header) ?? new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(header);
  return match?.[1];
}

export function parseMultipart(body: Buffer, contentType: string): Record<string, string | Buffer> {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`);
  const fields: Record<string, string | Buffer> = {};
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError('the body has no part boundary');
  for (;;) {
    pos += delimiter.length;
    // `--` after a boundary closes the body.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return fields;
    if (!body.subarray(pos, pos + 2).equals(CRLF)) throw new MultipartError('a part boundary is not followed by CRLF');
    const headerEnd = body.indexOf(HEADER_END, pos + 2);
    if (headerEnd < 0) throw new MultipartError('a part has no end of headers');
    const headers = body
      .subarray(pos + 2, headerEnd)
      .toString('utf8')
      .split('\r\n');
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), headerEnd + 4);
    if (next < 0) throw new MultipartError('a part is not closed by a boundary');
    const content = body.subarray(headerEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const type = headers.find((h) => /^content-type:/i.test(h))?.replace(/^content-type:\s*/i, '') ?? '';
    const name = headerParam(disposition, 'name');
    if (name === undefined) throw new MultipartError('a part has no name');
    const binary = headerParam(disposition, 'filename') !== undefined || (type !== '' && !/^text\//i.test(type));
    fields[name] = binary ? Buffer.from(content) : content.toString('utf8');
    pos = next + CRLF.length;
  }
}
