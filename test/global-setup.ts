// Runs once per `vitest run`, before any test file: migrates one database that every file then
// copies (see test/databases.ts).
import type { TestProject } from 'vitest/node';
import { createPostgresTemplate, pgliteSnapshot } from './databases.ts';

export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    project.provide('pgliteSnapshot', await pgliteSnapshot());
    return;
  }
  const template = await createPostgresTemplate(adminUrl);
  project.provide('postgresTemplate', template.name);
  return () => template.drop();
}
