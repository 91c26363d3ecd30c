/**
 * `room.client.knockCancelled` → `RoomClientKnockCancelled`; `rap-post-archive-started` →
 * `RapPostArchiveStarted`; `PARTICIPANT_JOINED` → `ParticipantJoined` (a word in capitals is a word).
 */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => (/^[A-Z0-9]+$/.test(word) && /[A-Z]/.test(word) && word.length > 1 ? word[0]! + word.slice(1).toLowerCase() : word[0]!.toUpperCase() + word.slice(1)))
    .join("");
}

/** `Jaas`, `SETTINGS_PROVISIONING` → `JaasSettingsProvisioningAnswer`. */
export function answerTypeName(prefix: string, eventType: string): string {
  return `${prefix}${pascalCase(eventType)}Answer`;
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
