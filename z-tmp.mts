import { z } from 'zod';
const s = z.strictObject({ a: z.string().regex(/^\d+$/, 'digits').nullable().optional(), b: z.number().int().nullable().optional(), g: z.enum(['男','女']).nullable().optional() });
const r = s.safeParse({ a: 'x', b: 1.5, g: 'M', c: 1, d: 2 });
console.log(JSON.stringify(r.error?.issues, null, 1));
console.log('，：；（）！？。、①⑴～－—'.normalize('NFKC'));
