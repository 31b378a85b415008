import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ocrCacheKey, RecordingEngine, ReplayEngine, ReplayMissError } from '../../src/ocr/cache.js';
import { FakeEngine, failingEngine } from '../../src/ocr/fake.js';

const dir = await mkdtemp(join(tmpdir(), 'xietong-ocr-cache-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const a = Buffer.from('image a');
const b = Buffer.from('image b');

describe('recorded OCR', () => {
  it('keys by image, mode, language and model', () => {
    const k = ocrCacheKey(a, { mode: 'line' }, '4.0.0');
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(ocrCacheKey(a, { mode: 'line', lang: 'chi_sim' }, '4.0.0')).toBe(k);
    expect(ocrCacheKey(b, { mode: 'line' }, '4.0.0')).not.toBe(k);
    expect(ocrCacheKey(a, { mode: 'block' }, '4.0.0')).not.toBe(k);
    expect(ocrCacheKey(a, { mode: 'line', lang: 'eng' }, '4.0.0')).not.toBe(k);
    expect(ocrCacheKey(a, { mode: 'line' }, '4.0.0_best_int')).not.toBe(k);
  });

  it('records a real engine once and replays it without the engine', async () => {
    const file = join(dir, 'set.json');
    const inner = new FakeEngine([
      { text: '王建国', confidence: 0.9 },
      { text: '13807981234', confidence: 0.96 },
    ]);
    Object.assign(inner.info, { model: '4.0.0' });
    const rec = new RecordingEngine(inner, file);
    try {
      await rec.recognize(a, { mode: 'line' });
      await rec.recognize(b, { mode: 'digits' });
    } finally {
      await rec.close();
    }
    expect(inner.closed).toBe(true);
    const json = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(json.entries)).toHaveLength(2);

    const replay = await ReplayEngine.load(file);
    expect(replay.info).toMatchObject({ engine: 'replay', model: '4.0.0' });
    expect(await replay.recognize(a, { mode: 'line' })).toEqual({ text: '王建国', confidence: 0.9 });
    expect(await replay.recognize(b, { mode: 'digits' })).toMatchObject({ text: '13807981234' });
  });

  it('a miss names the key, the settings and how to re-record', async () => {
    const file = join(dir, 'set.json');
    const replay = await ReplayEngine.load(file);
    const err = await replay.recognize(a, { mode: 'block' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayMissError);
    const key = ocrCacheKey(a, { mode: 'block' }, '4.0.0');
    expect((err as ReplayMissError).key).toBe(key);
    expect((err as Error).message).toContain(key);
    expect((err as Error).message).toMatch(/mode block, lang chi_sim, model 4\.0\.0/);
    expect((err as Error).message).toMatch(/XIETONG_RECORD_OCR=1/);
    // Another model's entries do not answer.
    const other = await ReplayEngine.load(file, { model: '4.0.0_best_int' });
    await expect(other.recognize(a, { mode: 'line' })).rejects.toBeInstanceOf(ReplayMissError);
  });

  it('re-recording merges into the file instead of replacing it', async () => {
    const file = join(dir, 'set.json');
    const inner = new FakeEngine([{ text: '新' }]);
    Object.assign(inner.info, { model: '4.0.0' });
    const rec = new RecordingEngine(inner, file);
    await rec.recognize(a, { mode: 'block' });
    await rec.close();
    const replay = await ReplayEngine.load(file);
    expect(replay.size).toBe(3);
  });

  it('says what is wrong with a file that is not a recording', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"entries": []}');
    await expect(ReplayEngine.load(file)).rejects.toThrow(/not a recording/);
    await expect(ReplayEngine.load(join(dir, 'absent.json'))).rejects.toThrow(/cannot be read/);
  });

  it('a failing inner engine records nothing and the error reaches the caller', async () => {
    const file = join(dir, 'fail.json');
    const rec = new RecordingEngine(failingEngine('worker died'), file);
    await expect(rec.recognize(a, { mode: 'line' })).rejects.toThrow('worker died');
    await rec.close();
    expect((await ReplayEngine.load(file)).size).toBe(0);
  });
});

describe('FakeEngine', () => {
  it('answers in order, then says it ran out', async () => {
    const f = new FakeEngine([{ text: '一' }, new Error('boom')]);
    expect(await f.recognize(a, { mode: 'line' })).toEqual({ text: '一', confidence: 0.95 });
    await expect(f.recognize(a, { mode: 'line' })).rejects.toThrow('boom');
    await expect(f.recognize(a, { mode: 'line' })).rejects.toThrow(/no scripted answer for call 3/);
    expect(f.calls).toHaveLength(3);
    await f.close();
    await expect(f.recognize(a, { mode: 'line' })).rejects.toThrow(/after close/);
  });
});
