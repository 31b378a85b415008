// The one "needs review" rule: what the store marks for review is what extract flags as it reads.
import { describe, expect, it } from 'vitest';
import { needsReview, REVIEW_THRESHOLD } from '../../src/domain/review-rule.js';
import { REVIEW_THRESHOLD as EXTRACT_THRESHOLD } from '../../src/extract/index.js';

describe('needs review', () => {
  it('uses the threshold extract flags fields with', () => {
    expect(EXTRACT_THRESHOLD).toBe(REVIEW_THRESHOLD);
  });
  it('flags an unsure value, not a fairly sure blank, never a photo', () => {
    expect(needsReview('registration', 'name', { value: '王建国', confidence: 0.89 })).toBe(true);
    expect(needsReview('registration', 'name', { value: '王建国', confidence: 0.9 })).toBe(false);
    expect(needsReview('registration', 'name', { value: null, confidence: 0.6 })).toBe(false);
    expect(needsReview('registration', 'name', { value: null, confidence: 0.4 })).toBe(true);
    expect(needsReview('registration', 'photo', { value: null, confidence: 0.1 })).toBe(false);
  });
});
