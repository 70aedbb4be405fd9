/** One uploaded file from a request body. */
export interface UploadedFile {
  readonly fileName: string;
  readonly bytes: Buffer;
}

/**
 * A minimal multipart/form-data reader (RFC 7578) for `POST /jars/upload`: splits the body on the
 * boundary and returns the part named `field` (or else the first part with a filename).
 */
export function parseMultipartFile(body: Buffer, contentType: string, field = 'jarfile'): UploadedFile | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary.trim()}`);
  const parts: { name?: string; fileName?: string; bytes: Buffer }[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    // A part: CRLF, headers, CRLF CRLF, content, CRLF, then the next delimiter.
    const part = body.subarray(start + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString('latin1') === '\r\n') content = content.subarray(0, -2);
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      parts.push({ ...(name === undefined ? {} : { name }), ...(fileName === undefined ? {} : { fileName }), bytes: content });
    }
    start = next;
  }
  const chosen = parts.find((p) => p.name === field && p.fileName !== undefined) ?? parts.find((p) => p.fileName !== undefined);
  return chosen ? { fileName: chosen.fileName ?? 'job-file', bytes: chosen.bytes } : undefined;
}
