// The recording object with the package's own core (js-shim/dist/eventuall.wasm). In the
// Worker that defines it:
//   export { RecordingObject } from "eventuall-data/durable";
//   // wrangler.jsonc: "durable_objects": {"bindings": [{"name": "RECORDINGS", "class_name": "RecordingObject"}]},
//   //                 "migrations": [{"tag": "v1", "new_sqlite_classes": ["RecordingObject"]}],
//   //                 "d1_databases": [{"binding": "DB", ...}]   (the webapp D1, for permission checks)
// and anywhere: recordingOutcome(env.RECORDINGS, eventId, "start_recording", {...}).
// See define.mjs for what the object does.
import wasm from "../dist/eventuall.wasm";
import { defineRecordingObject } from "./define.mjs";

export { defineRecordingObject, migrateStorage } from "./define.mjs";
export { RECORDING_OPERATIONS, recordingObjectFor, recordingOutcome } from "./routing.mjs";
export { storageD1 } from "./storage_d1.mjs";

export const RecordingObject = defineRecordingObject({ module: wasm });
