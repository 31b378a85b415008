// A scripted engine for tests of whatever calls OCR: fixed answers in order, a function of the
// request, or errors (an engine that crashes), without any image processing.
import type { OcrEngine, OcrEngineInfo, OcrOptions, OcrResult } from './types.js';

export type FakeAnswer = (Partial<OcrResult> & { text: string }) | Error;
export type FakeScript =
  | FakeAnswer[]
  | ((image: Buffer, opts: OcrOptions, call: number) => FakeAnswer | Promise<FakeAnswer>);

export class FakeEngine implements OcrEngine {
  readonly info: OcrEngineInfo = { engine: 'fake', model: 'fake' };
  readonly calls: { image: Buffer; opts: OcrOptions }[] = [];
  closed = false;

  constructor(
    private readonly script: FakeScript,
    private readonly opts: { delayMs?: number } = {},
  ) {}

  async recognize(image: Buffer, opts: OcrOptions): Promise<OcrResult> {
    if (this.closed) throw new Error('FakeEngine: recognize() after close()');
    const call = this.calls.length;
    this.calls.push({ image, opts });
    if (this.opts.delayMs) await new Promise((r) => setTimeout(r, this.opts.delayMs));
    let answer: FakeAnswer | undefined;
    if (typeof this.script === 'function') answer = await this.script(image, opts, call);
    else {
      answer = this.script[call];
      if (!answer)
        throw new Error(
          `FakeEngine: no scripted answer for call ${call + 1} (${this.script.length} scripted)`,
        );
    }
    if (answer instanceof Error) throw answer;
    return { confidence: answer.text ? 0.95 : 0, ...answer };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** An engine whose every call fails, as a crashed worker would. */
export function failingEngine(message = 'OCR worker crashed'): FakeEngine {
  return new FakeEngine(() => new Error(message));
}
