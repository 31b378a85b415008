// Text from forms and file names reaches the terminal through summaries, `store list` and logs. A
// control character there is an instruction to the terminal (clear the screen, set the window
// title, write the clipboard with OSC 52), not text: every write to stdout and stderr shows them
// escaped instead, as \u001b. The \u form is also valid inside JSON strings, so --json output
// stays parseable. Line breaks and tabs pass; so does the progress bar, which writes its own
// escapes through writeRaw.

/** C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional overrides that reorder text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const hasControl = (text: string): boolean => new RegExp(CONTROL_CHARS.source).test(text);

type Write = NodeJS.WriteStream['write'];
const originals = new WeakMap<NodeJS.WriteStream, Write>();

/** Escapes control characters in everything written to the stream until the returned function is called. */
export function guardStream(stream: NodeJS.WriteStream): () => void {
  if (originals.has(stream)) return () => {};
  const original = stream.write;
  originals.set(stream, original);
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    const text = typeof chunk === 'string' ? escapeControl(chunk) : chunk;
    return (original as (...a: unknown[]) => boolean).call(this, text, ...rest);
  } as Write;
  return () => {
    stream.write = original;
    originals.delete(stream);
  };
}

/** Writes the text as it is: for the escapes xietong itself sends (the progress bar). */
export function writeRaw(stream: NodeJS.WriteStream, text: string): void {
  (originals.get(stream) ?? stream.write).call(stream, text);
}
