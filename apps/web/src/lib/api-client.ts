import { createGansightClient, type GansightClient } from '@gansight/client';

// One client per factory: the factory in the URL travels as `x-factory-id` on every request and
// on the subscription socket; the session itself is the HttpOnly cookie `login` set, which page
// scripts never see. '/graphql' is this origin: proxy.ts passes it to the API.
const clients = new Map<string, GansightClient>();

/** The API client acting for `factoryId` (none: before a factory is chosen, e.g. to sign in). */
export function apiClient(factoryId?: string): GansightClient {
  const key = factoryId ?? '';
  let client = clients.get(key);
  if (!client) {
    client = createGansightClient({ url: '/graphql', ...(factoryId ? { factoryId } : {}) });
    clients.set(key, client);
  }
  return client;
}

/** Closes every subscription socket, e.g. on sign-out, so none outlives the session. */
export async function closeApiClients(): Promise<void> {
  await Promise.all([...clients.values()].map((c) => c.close()));
  clients.clear();
}
