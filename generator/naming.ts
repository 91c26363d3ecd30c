/** `room.client.knockCancelled` → `RoomClientKnockCancelled`; `rap-post-archive-started` → `RapPostArchiveStarted`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

/** `whereby`, `room.client.joined` → `WherebyRoomClientJoinedEvent`. */
export function eventTypeName(prefix: string, eventType: string): string {
  return `${prefix}${pascalCase(eventType)}Event`;
}

/** `Whereby`, `in-room` → `WherebyInRoom`. */
export function sharedTypeName(prefix: string, fileBase: string): string {
  return `${prefix}${pascalCase(fileBase)}`;
}

/** `Whereby` → `whereby`: the camel-case form used for value names (`wherebyEventTypes`). */
export function camelCase(name: string): string {
  return name[0]!.toLowerCase() + name.slice(1);
}
