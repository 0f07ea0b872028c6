// Recording sessions on the workers database.

export interface RecordingOperations {}
