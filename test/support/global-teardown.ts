export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env.SITEDR_TEST_MOTO_PID);
  if (!pid) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
