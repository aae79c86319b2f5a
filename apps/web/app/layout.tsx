import type { ReactNode } from 'react';
import { QueryProvider } from '../src/lib/query-provider';
import './globals.css';

export const metadata = {
  title: 'Gansight',
  description: 'Visual inspection by GAN inversion, for every product line of every factory.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <QueryProvider>{children}</QueryProvider>
      </body>
    </html>
  );
}
