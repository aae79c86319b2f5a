// Prisma CLI configuration (Prisma 7 reads the connection URL from here, not from the schema).
// Gansight applies migrations itself at start (packages/db/src/migrations); this file is for
// `prisma generate` and, on machines that have Prisma's native engine, `prisma migrate deploy`.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/gansight' },
});
