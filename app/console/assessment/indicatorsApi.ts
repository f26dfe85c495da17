import type { IndicatorDefinition } from '@/lib/assessment/indicators';

/** GET /api/v1/assessment/indicators: the catalogue a formula may use, with each indicator's 口径. */
export interface IndicatorCatalogue {
  indicators: IndicatorDefinition[];
  functions: string[];
}

export const INDICATORS_URL = '/api/v1/assessment/indicators';
