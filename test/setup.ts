// Runs before every test file (vitest `setupFiles`). Test files share their modules within a
// worker (`isolate: false`), so a hook registered when a shared helper is first imported would
// serve only the first file that imports it, and what one file changes must not reach the next:
// the hooks every file needs are registered here.
import { afterEach, vi } from "vitest";
import { stopStarted } from "./http.js";

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks(); // spies on console and the like
  await stopStarted(); // triggers started with test/http.ts
});
