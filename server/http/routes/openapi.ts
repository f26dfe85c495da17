import type { AppContext } from '../../context';
import { openApiDocument } from '../openapi';
import type { Router } from '../router';

/** The ingest API's OpenAPI document at /api/v1/openapi.json. */
export const openApiRoutes: (router: Router, app: AppContext) => void = (router) => {
  router.add('GET', '/api/v1/openapi.json', 'public', async () => ({
    body: openApiDocument(),
    // Public and the same for everyone: other systems' developers may load it into their own tools.
    headers: { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
  }));
};
