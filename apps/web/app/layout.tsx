import type { ReactNode } from 'react';
import './globals.css';

export const metadata = {
  title: 'Gansight',
  description: 'Visual inspection by GAN inversion, for every product line of every factory.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <span className="brand">Gansight</span>
          <nav>
            <a href="/">Overview</a>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
