// How the language server's process is started: the node options every client passes (the VS Code client in
// client/src/extension.ts, the test and bench client in test/helpers/lspClient.ts), so the bench measures the
// process the editor runs. Constants only: the client bundles this file, nothing of the server.
//
// The old generation grows by at most 20% of what survived the last full GC before the next one. V8's own factor on a
// machine with a few GB to spare is up to 4x, and the server's allocation rate (the background evaluation) always
// earns it: on the synthetic fleet (12k files) about 300 MB live after the first evaluation let the heap reach
// 600–900 MB before a full GC, most of it garbage (issue 12's peak RSS; scripts/benchServerMemory.ts shows when).
// At 20% the peak follows what is live; a full GC then runs every ~60 MB promoted, mostly marked concurrently.
export const SERVER_EXEC_ARGV: readonly string[] = ['--heap-growing-percent=20'];
