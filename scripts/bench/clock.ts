/**
 * The bench's one clock across processes (phones in load-generator children, the moderator in the
 * bench's own process, servers in theirs, all on one machine).
 *
 * `process.hrtime.bigint()` reads libuv's `uv_hrtime()`: `clock_gettime(CLOCK_MONOTONIC)` on Linux
 * (`mach_absolute_time` on macOS, `QueryPerformanceCounter` on Windows). That counter belongs to
 * the machine, not to the process: two processes reading it at the same instant read the same
 * value, and no NTP step or slew can make two processes disagree about it. `performance.now()`
 * reads the same counter minus a per-process origin (the process's start), so its values do not
 * compare across processes; `performance.timeOrigin + performance.now()` do, but only as well as
 * the wall clock was read at each process's start (and NTP may step or slew the wall clock between
 * two starts), so neither is used for anything timed across processes.
 *
 * Milliseconds as a double: ns since boot stay exact below 2^53 ns (104 days of uptime), and keep
 * sub-microsecond resolution long after.
 */
export const hrNow = (): number => Number(process.hrtime.bigint()) / 1e6;
