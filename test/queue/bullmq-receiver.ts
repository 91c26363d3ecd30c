// A receiver in a process of its own, for test/queue.test.ts to kill with SIGKILL right after its
// last answer: a Whereby trigger whose queue is a BullMQ Queue on the test's redis-server.
// Prints {"port":N} once it listens. Arguments: the Redis port, the queue's name, the secret.
import { Queue } from "bullmq";
import { createBullMQQueue } from "../../generated/src/index.js";
import { createWherebyTrigger } from "../../generated/src/whereby/index.js";

const [port, name, secret] = process.argv.slice(2) as [string, string, string];
const queue = new Queue(name, { connection: { host: "127.0.0.1", port: Number(port) } });
const trigger = createWherebyTrigger({ secret, port: 0, host: "127.0.0.1", queue: createBullMQQueue(queue), onError: (error) => console.error(error) });
const address = await trigger.start();
console.log(JSON.stringify({ port: address.port }));
