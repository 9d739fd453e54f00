import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Adds `count` confirmed users to a stopped local stack's pool file
 * (`<dataDir>/cognito/<poolId>.json`), much faster than creating them through
 * the API. The stack must be stopped: it reads the file when it starts.
 *
 * @returns the usernames added
 */
export async function seedPoolFile(
  dataDir: string,
  userPoolId: string,
  count: number,
): Promise<string[]> {
  const file = join(dataDir, 'cognito', `${userPoolId}.json`);
  const pool = JSON.parse(await readFile(file, 'utf8')) as { Users?: Record<string, unknown> };
  pool.Users ??= {};
  const now = new Date().toISOString();
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const sub = randomUUID();
    names.push(sub);
    pool.Users[sub] = {
      Username: sub,
      Password: 'Bench-passw0rd!',
      Attributes: [
        { Name: 'sub', Value: sub },
        { Name: 'email', Value: `bench-${i}@example.com` },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'given_name', Value: `Bench ${i}` },
      ],
      Enabled: true,
      UserStatus: 'CONFIRMED',
      UserCreateDate: now,
      UserLastModifiedDate: now,
      RefreshTokens: [],
    };
  }
  await writeFile(`${file}.seed`, JSON.stringify(pool), 'utf8');
  await rename(`${file}.seed`, file);
  return names;
}
