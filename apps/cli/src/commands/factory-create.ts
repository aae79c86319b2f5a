import { loadConfigOrExit } from '@gansight/config';
import { API_KEY_SCOPES, generateApiKey, hashPassword } from '@gansight/contracts';
import { bootstrapFactory, openDatabase } from '@gansight/db';

export interface FactoryCreateOptions {
  name: string;
  adminEmail: string;
  adminPassword: string;
  slug?: string;
}

/** Checks the operator's input before anything is written; returns the problems found. */
export function validateFactoryInput(o: FactoryCreateOptions): string[] {
  const problems: string[] = [];
  if (!o.name.trim()) problems.push('--name must not be empty');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(o.adminEmail)) problems.push(`--admin-email "${o.adminEmail}" is not an email address`);
  if (o.adminPassword.length < 10) problems.push('--admin-password must be at least 10 characters');
  if (o.slug !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/.test(o.slug)) {
    problems.push(`--slug "${o.slug}" must be lowercase letters, digits and dashes`);
  }
  return problems;
}

/** `gansight factory create`: bootstrap a tenant and print its credentials as JSON on stdout. */
export async function factoryCreateCommand(o: FactoryCreateOptions): Promise<void> {
  const problems = validateFactoryInput(o);
  if (problems.length) {
    process.stderr.write(`Cannot create the factory:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    process.exit(2);
  }
  const config = loadConfigOrExit();
  // Logs go to stderr so that stdout stays pure JSON for scripts (`| jq -r .apiKey`).
  const database = await openDatabase(config.database, { onMigration: (name) => process.stderr.write(`applied migration ${name}\n`) });
  try {
    const key = generateApiKey();
    const created = await bootstrapFactory(database.db, {
      name: o.name.trim(),
      ...(o.slug ? { slug: o.slug } : {}),
      admin: { email: o.adminEmail.toLowerCase(), passwordHash: await hashPassword(o.adminPassword) },
      apiKey: { name: 'bootstrap', prefix: key.prefix, secretHash: key.secretHash, scopes: [...API_KEY_SCOPES] },
    });
    const graphqlUrl = config.api.publicUrl ?? `http://localhost:${config.api.port}/graphql`;
    process.stdout.write(
      `${JSON.stringify(
        {
          factoryId: created.factoryId,
          factorySlug: created.slug,
          adminUserId: created.adminUserId,
          adminEmail: o.adminEmail.toLowerCase(),
          apiKeyId: created.apiKeyId,
          apiKey: key.token,
          scopes: API_KEY_SCOPES,
          graphqlUrl,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await database.close();
  }
}
