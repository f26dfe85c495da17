import type { AppContext } from '../../context';
import { openApiDocument } from '../openapi';
import type { Router } from '../router';

/** The OpenAPI document of every route at /api/v1/openapi.json. */
export const openApiRoutes: (router: Router, app: AppContext) => void = (router) => {
  router.add(
    'GET',
    '/api/v1/openapi.json',
    'public',
    {
      doc: {
        summary: '本 API 的 OpenAPI 3.1 文档',
        description: '由各路由校验所用的 zod 模式生成，涵盖全部 HTTP 接口；公开，可载入其他系统的开发工具。',
        response: { type: 'object', description: 'OpenAPI 3.1 文档' },
      },
    },
    // Built on first request, once every route has been added.
    async () => ({
      body: openApiDocument(router),
      // Public and the same for everyone: other systems' developers may load it into their own tools.
      headers: { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
    }),
  );
};
