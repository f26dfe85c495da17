import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import ServiceWorker from './ServiceWorker';

// Its own manifest and icons: added to a home screen, /m opens as 联动·群众服务, never the staff app.
export const metadata: Metadata = {
  title: '联动·群众服务',
  description: '反映问题、申请调解、政策咨询、投诉建议，凭查询码查看办理进度',
  manifest: '/m/manifest.webmanifest',
  icons: {
    icon: { url: '/m/icon-192.png', sizes: '192x192', type: 'image/png' },
    apple: { url: '/m/icon-192.png', sizes: '192x192' },
  },
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, viewportFit: 'cover', themeColor: '#0f5bc4' };

export default function ResidentLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <ServiceWorker />
      {children}
    </>
  );
}
