#!/usr/bin/env node
// First drafts of schemas/livekit/common/*.schema.json from LiveKit's protocol definitions.
//
// The committed schemas are the source of truth: this script only produced their first version,
// and hand edits made afterwards (required fields, notes on older releases, examples) are not in
// it. Run it to see what a newer protocol release adds, then port the difference by hand:
//
//   node schemas/livekit/draft/proto-to-schemas.mjs /tmp/livekit-drafts
//   diff -r /tmp/livekit-drafts schemas/livekit/common
//
// What it reads: the message and enum descriptors that the npm package @livekit/protocol compiles
// from LiveKit's .proto files (installed with livekit-server-sdk), and, for the fields marked
// `[deprecated = true]` in the .proto files, the declarations that package keeps in
// src/gen/*_pb.d.ts. The package version is recorded in every draft's description.
//
// How protojson (the encoder LiveKit's Go server uses) shapes the JSON, and so the drafts:
// - field names are the lowerCamelCase JSON names;
// - 64-bit integers are strings of decimal digits (signed ones may start with "-");
// - 32-bit integers and floating-point numbers are JSON numbers, bools are booleans;
// - enum values are their names; maps are objects; `bytes` would be base64 strings (none here);
// - a field holding its type's default (0, "", false, the enum's first value, an empty list or
//   map) is left out, so no field is required here.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as protocol from "@livekit/protocol";

const outDir = process.argv[2] ?? "/tmp/livekit-drafts";
const require = createRequire(import.meta.url);
// The package's exports hide package.json: go up from its entry point (dist/index.cjs).
const packageDir = path.resolve(path.dirname(require.resolve("@livekit/protocol")), "..");
const version = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")).version;
const source = `@livekit/protocol ${version}`;

/** The objects the webhook events carry; everything they contain is drafted too. */
const roots = ["Room", "ParticipantInfo", "TrackInfo", "EgressInfo", "IngressInfo", "Job"];

// ---------------------------------------------------------------------------------------------
// Field descriptions, in our words. Key: "<Message>.<jsonName>", or "*.<jsonName>" for a field
// that means the same wherever it appears. A field without one is drafted with "TODO".
// ---------------------------------------------------------------------------------------------
const upload = {
  "*.s3": "Amazon S3 (or S3-compatible) storage to upload to.",
  "*.gcp": "Google Cloud Storage to upload to.",
  "*.azure": "Azure Blob Storage to upload to.",
  "*.aliOSS": "Alibaba Cloud OSS storage to upload to.",
};
const egressRequest = {
  "*.roomName": "Name of the room.",
  "*.preset": "Encoding preset chosen by name, instead of `advanced`.",
  "*.advanced": "Encoding settings given one by one, instead of `preset`.",
  "*.fileOutputs": "File outputs of the request.",
  "*.streamOutputs": "Stream outputs of the request.",
  "*.segmentOutputs": "Segmented (HLS) outputs of the request.",
  "*.imageOutputs": "Image (thumbnail) outputs of the request.",
  "*.webhooks": "Extra webhook endpoints notified about this egress, besides the project's.",
  "*.audioOnly": "Records audio only.",
  "*.videoOnly": "Records video only.",
  "*.file": "The request's single file output (older form of the request).",
  "*.stream": "The request's single stream output (older form of the request).",
  "*.segments": "The request's single segmented output (older form of the request).",
};
const descriptions = {
  ...upload,
  ...egressRequest,
  "*.filepath": "Path (object key) of the file, possibly with `{room_name}`, `{time}` and similar templates.",
  "*.disableManifest": "True when no manifest file is uploaded beside the output.",
  "*.fileType": "Container of the file; absent means the default chosen from the codecs (`DEFAULT_FILETYPE`).",
  "*.filenamePrefix": "Prefix of the files' names.",
  "*.filenameSuffix": "How the files are numbered; absent means the first value of the enum.",
  "*.proxy": "HTTP proxy the upload goes through.",
  "*.customBaseUrl": "Custom recorder page used instead of LiveKit's.",
  "*.layout": "Layout of the composite recording (`grid`, `speaker`, … or a custom one).",
  "*.awaitStartSignal": "True when recording waits for the page to signal that it is ready.",

  "Room.sid": "Server-assigned id of the room (`RM_…`).",
  "Room.name": "Name of the room, unique within the project.",
  "Room.emptyTimeout": "Seconds the room stays open with nobody in it.",
  "Room.departureTimeout": "Seconds the room stays open after the last participant left.",
  "Room.maxParticipants": "Largest number of participants allowed; absent means no limit.",
  "Room.creationTime": "When the room was created, in seconds since the Unix epoch.",
  "Room.creationTimeMs": "When the room was created, in milliseconds since the Unix epoch.",
  "Room.turnPassword": "Password of the room's TURN credentials.",
  "Room.enabledCodecs": "Codecs enabled in the room.",
  "Room.metadata": "Metadata the application attached to the room (free text, often JSON).",
  "Room.numParticipants": "Number of participants in the room (hidden ones excluded) when the event was made.",
  "Room.numPublishers": "Number of participants publishing tracks when the event was made.",
  "Room.activeRecording": "True while an egress records the room.",
  "Room.version": "Version of the room's state.",

  "Codec.mime": "MIME type of the codec, e.g. `audio/opus`, `video/VP8`.",
  "Codec.fmtpLine": "SDP `fmtp` parameters of the codec.",

  "TimedVersion.unixMicro": "Time of the version, in microseconds since the Unix epoch.",
  "TimedVersion.ticks": "Counter that orders versions made within the same microsecond.",

  "ParticipantInfo.sid": "Server-assigned id of this participant session (`PA_…`).",
  "ParticipantInfo.identity": "Identity of the participant, as set in its access token.",
  "ParticipantInfo.state": "Connection state; absent means `JOINING`.",
  "ParticipantInfo.tracks": "Tracks the participant publishes.",
  "ParticipantInfo.metadata": "Metadata the application attached to the participant (free text, often JSON).",
  "ParticipantInfo.joinedAt": "When the participant joined, in seconds since the Unix epoch.",
  "ParticipantInfo.joinedAtMs": "When the participant joined, in milliseconds since the Unix epoch.",
  "ParticipantInfo.name": "Display name of the participant.",
  "ParticipantInfo.version": "Version of the participant's state, incremented on every change.",
  "ParticipantInfo.permission": "What the participant may do.",
  "ParticipantInfo.region": "Region of the server the participant is connected to (LiveKit Cloud).",
  "ParticipantInfo.isPublisher": "True when the participant has a connection to publish media.",
  "ParticipantInfo.kind": "Kind of participant; absent means `STANDARD` (a regular client).",
  "ParticipantInfo.attributes": "Key-value attributes of the participant, as set by the application.",
  "ParticipantInfo.disconnectReason": "Why the participant disconnected; absent means `UNKNOWN_REASON`.",
  "ParticipantInfo.kindDetails": "Finer kinds of the participant, e.g. `CLOUD_AGENT` or `FORWARDED`.",
  "ParticipantInfo.dataTracks": "Data tracks the participant publishes.",
  "ParticipantInfo.clientProtocol": "Protocol version of the participant's client.",
  "ParticipantInfo.capabilities": "Features the participant's client says it supports.",

  "ParticipantPermission.canSubscribe": "May subscribe to other participants' tracks.",
  "ParticipantPermission.canPublish": "May publish tracks.",
  "ParticipantPermission.canPublishData": "May send data messages.",
  "ParticipantPermission.canPublishSources": "Track sources the participant may publish; absent or empty means all.",
  "ParticipantPermission.hidden": "Hidden from the other participants.",
  "ParticipantPermission.recorder": "Marks a recorder; replaced by the participant's `kind`.",
  "ParticipantPermission.canUpdateMetadata": "May change its own metadata, name and attributes.",
  "ParticipantPermission.agent": "Marks an agent; replaced by the participant's `kind`.",
  "ParticipantPermission.canSubscribeMetrics": "May subscribe to metrics.",
  "ParticipantPermission.canManageAgentSession": "May control and inspect an agent session.",

  "TrackInfo.sid": "Server-assigned id of the track (`TR_…`).",
  "TrackInfo.type": "Kind of track; absent means `AUDIO` (the enum's zero value is left out).",
  "TrackInfo.name": "Name the publisher gave the track.",
  "TrackInfo.muted": "True while the track is muted.",
  "TrackInfo.width": "Width in pixels of the published video (absent for audio).",
  "TrackInfo.height": "Height in pixels of the published video (absent for audio).",
  "TrackInfo.simulcast": "True when the video is simulcast; replaced by `codecs[].videoLayerMode`.",
  "TrackInfo.disableDtx": "True when audio DTX is off; replaced by `audioFeatures`.",
  "TrackInfo.source": "What the track captures; absent means `UNKNOWN`.",
  "TrackInfo.layers": "Simulcast layers; replaced by `codecs[].layers`.",
  "TrackInfo.mimeType": "MIME type of the track's codec, e.g. `audio/red`, `video/VP8`.",
  "TrackInfo.mid": "SDP media id of the track.",
  "TrackInfo.codecs": "Codecs the track is published in (more than one with backup codecs).",
  "TrackInfo.stereo": "True for stereo audio; replaced by `audioFeatures`.",
  "TrackInfo.disableRed": "True when redundant audio encoding (RED) is off.",
  "TrackInfo.encryption": "End-to-end encryption of the track; absent means `NONE`.",
  "TrackInfo.stream": "Name of the stream the track belongs to (groups a camera with its microphone).",
  "TrackInfo.version": "Version of the track's state.",
  "TrackInfo.audioFeatures": "Audio processing features of the track.",
  "TrackInfo.backupCodecPolicy": "How a backup codec is used; absent means `PREFER_REGRESSION`.",
  "TrackInfo.packetTrailerFeatures": "Features carried in the packets' trailers.",

  "VideoLayer.quality": "Quality of the layer; absent means `LOW`.",
  "VideoLayer.width": "Width in pixels.",
  "VideoLayer.height": "Height in pixels.",
  "VideoLayer.bitrate": "Target bitrate in bits per second.",
  "VideoLayer.ssrc": "RTP SSRC of the layer.",
  "VideoLayer.spatialLayer": "Index of the spatial layer.",
  "VideoLayer.rid": "RTP stream id (`rid`) of the layer.",
  "VideoLayer.repairSsrc": "RTP SSRC of the layer's repair (RTX) stream.",

  "SimulcastCodecInfo.mimeType": "MIME type of the codec.",
  "SimulcastCodecInfo.mid": "SDP media id used for this codec.",
  "SimulcastCodecInfo.cid": "Client-side id of the track for this codec.",
  "SimulcastCodecInfo.layers": "Layers published in this codec.",
  "SimulcastCodecInfo.videoLayerMode": "How the layers are sent; absent means `MODE_UNUSED`.",
  "SimulcastCodecInfo.sdpCid": "Client-side id used in the SDP, when it differs from `cid`.",

  "DataTrackInfo.pubHandle": "Handle the publisher attaches to the track's packets.",
  "DataTrackInfo.sid": "Server-assigned id of the data track.",
  "DataTrackInfo.name": "Name of the data track, unique per publisher.",
  "DataTrackInfo.encryption": "End-to-end encryption of the payloads; absent means `NONE`.",
  "DataTrackInfo.frameEncoding": "Encoding of the frames; absent for an untyped track.",
  "DataTrackInfo.schema": "Schema of the frames, for a typed track.",
  "DataTrackFrameEncoding.wellKnown": "A well-known encoding (set instead of `custom`).",
  "DataTrackFrameEncoding.custom": "Name of a custom encoding (set instead of `wellKnown`).",
  "DataTrackSchemaId.name": "Name of the schema.",
  "DataTrackSchemaId.encoding": "Encoding of the schema's definition.",
  "DataTrackSchemaEncoding.wellKnown": "A well-known schema language (set instead of `custom`).",
  "DataTrackSchemaEncoding.custom": "Name of a custom schema language (set instead of `wellKnown`).",

  "EgressInfo.egressId": "Id of the egress (`EG_…`).",
  "EgressInfo.roomId": "Id of the recorded room.",
  "EgressInfo.roomName": "Name of the recorded room.",
  "EgressInfo.sourceType": "How the egress captures the room; absent means `EGRESS_SOURCE_TYPE_WEB` (a headless browser).",
  "EgressInfo.status": "State of the egress; absent means `EGRESS_STARTING`.",
  "EgressInfo.startedAt": "When the egress started, in nanoseconds since the Unix epoch.",
  "EgressInfo.endedAt": "When the egress ended, in nanoseconds since the Unix epoch.",
  "EgressInfo.updatedAt": "When the egress last changed, in nanoseconds since the Unix epoch.",
  "EgressInfo.egress": "The request, when the egress was started with the unified StartEgress API.",
  "EgressInfo.replay": "The request, when the egress exports a replay.",
  "EgressInfo.roomComposite": "The request, for a room composite egress.",
  "EgressInfo.web": "The request, for a web page egress.",
  "EgressInfo.participant": "The request, for a participant egress.",
  "EgressInfo.trackComposite": "The request, for a track composite egress.",
  "EgressInfo.track": "The request, for a single-track egress.",
  "EgressInfo.streamResults": "One result per stream output.",
  "EgressInfo.fileResults": "One result per file output.",
  "EgressInfo.segmentResults": "One result per segmented output.",
  "EgressInfo.imageResults": "One result per image output.",
  "EgressInfo.error": "Why the egress failed.",
  "EgressInfo.errorCode": "Numeric code of the failure.",
  "EgressInfo.details": "Free-text details, e.g. `end reason: source closed`.",
  "EgressInfo.manifestLocation": "Where the manifest file was uploaded.",
  "EgressInfo.backupStorageUsed": "True when the files went to the backup storage.",
  "EgressInfo.retryCount": "Number of times the egress was retried.",
  "EgressInfo.stream": "Stream results (older form of `streamResults`).",
  "EgressInfo.file": "File result (older form of `fileResults`).",
  "EgressInfo.segments": "Segmented result (older form of `segmentResults`).",

  "StartEgressRequest.template": "Records the room through a layout template (set instead of `web` or `media`).",
  "StartEgressRequest.web": "Records a web page (set instead of `template` or `media`).",
  "StartEgressRequest.media": "Records tracks directly (set instead of `template` or `web`).",
  "StartEgressRequest.outputs": "Outputs of the egress.",
  "StartEgressRequest.storage": "Default storage of the outputs.",
  "ExportReplayRequest.replayId": "Id of the replay to export.",
  "ExportReplayRequest.startOffsetMs": "Start of the exported part, in milliseconds from the replay's start.",
  "ExportReplayRequest.endOffsetMs": "End of the exported part, in milliseconds from the replay's start.",
  "ExportReplayRequest.template": "Renders through a layout template (set instead of `web` or `media`).",
  "ExportReplayRequest.web": "Renders a web page (set instead of `template` or `media`).",
  "ExportReplayRequest.media": "Exports tracks directly (set instead of `template` or `web`).",
  "ExportReplayRequest.outputs": "Outputs of the export.",
  "ExportReplayRequest.storage": "Default storage of the outputs.",
  "TemplateSource.layout": "Layout template (`grid`, `speaker`, … or a custom one).",
  "WebSource.url": "Address of the page to record.",
  "MediaSource.videoTrackId": "Id of the video track to record (set instead of `participantVideo`).",
  "MediaSource.participantVideo": "Records the video of one participant (set instead of `videoTrackId`).",
  "MediaSource.audio": "Which audio to record and on which channels.",
  "ParticipantVideo.identity": "Identity of the participant.",
  "ParticipantVideo.preferScreenShare": "Records the screen share rather than the camera when both exist.",
  "AudioConfig.captureAll": "True to record every audio track not matched by a route on both channels.",
  "AudioConfig.routes": "Audio tracks to record and the channel of each.",
  "AudioRoute.trackId": "Matches one track by id.",
  "AudioRoute.participantIdentity": "Matches the tracks of one participant.",
  "AudioRoute.participantKind": "Matches the tracks of one kind of participant.",
  "AudioRoute.channel": "Output channel; absent means `AUDIO_CHANNEL_BOTH`.",

  "EncodingOptions.width": "Video width in pixels.",
  "EncodingOptions.height": "Video height in pixels.",
  "EncodingOptions.depth": "Colour depth in bits.",
  "EncodingOptions.framerate": "Frames per second.",
  "EncodingOptions.audioCodec": "Audio codec; absent means the default (`DEFAULT_AC`).",
  "EncodingOptions.audioBitrate": "Audio bitrate in kbps.",
  "EncodingOptions.audioFrequency": "Audio sample rate in Hz.",
  "EncodingOptions.videoCodec": "Video codec; absent means the default (`DEFAULT_VC`).",
  "EncodingOptions.videoBitrate": "Video bitrate in kbps.",
  "EncodingOptions.keyFrameInterval": "Seconds between key frames.",
  "EncodingOptions.audioQuality": "Audio encoder quality (no longer used).",
  "EncodingOptions.videoQuality": "Video encoder quality (no longer used).",

  "Output.file": "A file output (set instead of `stream`, `segments` or `images`).",
  "Output.stream": "A stream output.",
  "Output.segments": "A segmented (HLS) output.",
  "Output.images": "An image output.",
  "Output.storage": "Storage of this output, overriding the request's.",
  "StreamOutput.protocol": "Streaming protocol; absent means `DEFAULT_PROTOCOL`.",
  "StreamOutput.urls": "Addresses streamed to (stream keys are redacted in events).",
  "SegmentedFileOutput.protocol": "Segmenting protocol; absent means `DEFAULT_SEGMENTED_FILE_PROTOCOL`.",
  "SegmentedFileOutput.playlistName": "Name of the playlist file.",
  "SegmentedFileOutput.livePlaylistName": "Name of the live playlist file, when one is written.",
  "SegmentedFileOutput.segmentDuration": "Length of a segment in seconds.",
  "ImageOutput.captureInterval": "Seconds between two images.",
  "ImageOutput.width": "Image width in pixels.",
  "ImageOutput.height": "Image height in pixels.",
  "ImageOutput.imageCodec": "Image codec; absent means `IC_DEFAULT`.",
  "StorageConfig.s3": "Amazon S3 (or S3-compatible) storage.",
  "StorageConfig.gcp": "Google Cloud Storage.",
  "StorageConfig.azure": "Azure Blob Storage.",
  "StorageConfig.aliOSS": "Alibaba Cloud OSS storage.",

  "S3Upload.accessKey": "Access key id (events carry `{access_key}` instead of the value).",
  "S3Upload.secret": "Secret access key (events carry `{secret}` instead of the value).",
  "S3Upload.sessionToken": "Session token (events carry `{session_token}` instead of the value).",
  "S3Upload.assumeRoleArn": "ARN of a role egress assumes before uploading.",
  "S3Upload.assumeRoleExternalId": "External id used when assuming the role (redacted in events).",
  "S3Upload.region": "Region of the bucket.",
  "S3Upload.endpoint": "Endpoint of an S3-compatible service.",
  "S3Upload.bucket": "Name of the bucket.",
  "S3Upload.forcePathStyle": "True to address the bucket in the URL path rather than the host name.",
  "S3Upload.metadata": "Object metadata added to the uploads.",
  "S3Upload.tagging": "Object tags added to the uploads, URL-encoded.",
  "S3Upload.contentDisposition": "`Content-Disposition` header of the uploads.",
  "ProxyConfig.url": "Address of the proxy.",
  "ProxyConfig.username": "User name for the proxy.",
  "ProxyConfig.password": "Password for the proxy.",
  "GCPUpload.credentials": "Service account credentials as JSON (events carry `{credentials}` instead of the value).",
  "GCPUpload.bucket": "Name of the bucket.",
  "AzureBlobUpload.accountName": "Storage account name (events carry `{account_name}` instead of the value).",
  "AzureBlobUpload.accountKey": "Storage account key (events carry `{account_key}` instead of the value).",
  "AzureBlobUpload.containerName": "Name of the container.",
  "AliOSSUpload.accessKey": "Access key id (events carry `{access_key}` instead of the value).",
  "AliOSSUpload.secret": "Access key secret (events carry `{secret}` instead of the value).",
  "AliOSSUpload.region": "Region of the bucket.",
  "AliOSSUpload.endpoint": "Endpoint of the service.",
  "AliOSSUpload.bucket": "Name of the bucket.",
  "WebhookConfig.url": "Address of the extra webhook endpoint.",
  "WebhookConfig.signingKey": "API key whose secret signs the deliveries to that endpoint.",
  "WebhookConfig.filterParams": "Which events that endpoint receives.",
  "FilterParams.includeEvents": "Event types sent; empty means all.",
  "FilterParams.excludeEvents": "Event types not sent.",

  "RoomCompositeEgressRequest.audioMixing": "How the participants' audio is mixed; absent means `DEFAULT_MIXING`.",
  "WebEgressRequest.url": "Address of the page to record.",
  "ParticipantEgressRequest.identity": "Identity of the recorded participant.",
  "ParticipantEgressRequest.screenShare": "True to record the participant's screen share rather than its camera.",
  "TrackCompositeEgressRequest.audioTrackId": "Id of the recorded audio track.",
  "TrackCompositeEgressRequest.videoTrackId": "Id of the recorded video track.",
  "TrackEgressRequest.trackId": "Id of the recorded track.",
  "TrackEgressRequest.file": "File the track is written to (set instead of `websocketUrl`).",
  "TrackEgressRequest.websocketUrl": "WebSocket address the raw track is sent to (set instead of `file`; query values redacted in events).",

  "StreamInfo.url": "Address streamed to (the stream key redacted).",
  "StreamInfo.startedAt": "When streaming started, in nanoseconds since the Unix epoch.",
  "StreamInfo.endedAt": "When streaming ended, in nanoseconds since the Unix epoch.",
  "StreamInfo.duration": "Length of the stream in nanoseconds (`endedAt` minus `startedAt`).",
  "StreamInfo.status": "State of the stream; absent means `ACTIVE`.",
  "StreamInfo.error": "Why the stream failed.",
  "StreamInfo.lastRetryAt": "When the stream was last retried, in nanoseconds since the Unix epoch.",
  "StreamInfo.retries": "Number of retries.",
  "StreamInfoList.info": "The streams.",
  "FileInfo.filename": "Name (object key) of the file.",
  "FileInfo.startedAt": "When writing started, in nanoseconds since the Unix epoch.",
  "FileInfo.endedAt": "When writing ended, in nanoseconds since the Unix epoch.",
  "FileInfo.duration": "Length of the recording in nanoseconds (`endedAt` minus `startedAt`).",
  "FileInfo.size": "Size of the file in bytes.",
  "FileInfo.location": "Where the file was uploaded (a URL, or `{storage}/…` when redacted).",
  "SegmentsInfo.playlistName": "Name of the playlist file.",
  "SegmentsInfo.livePlaylistName": "Name of the live playlist file.",
  "SegmentsInfo.duration": "Length of the recording in nanoseconds.",
  "SegmentsInfo.size": "Total size of the segments in bytes.",
  "SegmentsInfo.playlistLocation": "Where the playlist was uploaded.",
  "SegmentsInfo.livePlaylistLocation": "Where the live playlist was uploaded.",
  "SegmentsInfo.segmentCount": "Number of segments written.",
  "SegmentsInfo.startedAt": "When segmenting started, in nanoseconds since the Unix epoch.",
  "SegmentsInfo.endedAt": "When segmenting ended, in nanoseconds since the Unix epoch.",
  "ImagesInfo.imageCount": "Number of images written.",
  "ImagesInfo.startedAt": "When capture started, in nanoseconds since the Unix epoch.",
  "ImagesInfo.endedAt": "When capture ended, in nanoseconds since the Unix epoch.",

  "IngressInfo.ingressId": "Id of the ingress (`IN_…`).",
  "IngressInfo.name": "Name given to the ingress.",
  "IngressInfo.streamKey": "Stream key the encoder uses (RTMP, WHIP).",
  "IngressInfo.url": "Where the encoder sends media (RTMP, WHIP), or where media is pulled from (URL input).",
  "IngressInfo.inputType": "Kind of input; absent means `RTMP_INPUT`.",
  "IngressInfo.bypassTranscoding": "True when media is forwarded without transcoding; replaced by `enableTranscoding`.",
  "IngressInfo.enableTranscoding": "Whether media is transcoded (sent even when false).",
  "IngressInfo.audio": "Audio publishing settings.",
  "IngressInfo.video": "Video publishing settings.",
  "IngressInfo.roomName": "Room the ingress publishes into.",
  "IngressInfo.participantIdentity": "Identity of the participant that publishes the media.",
  "IngressInfo.participantName": "Display name of that participant.",
  "IngressInfo.participantMetadata": "Metadata of that participant.",
  "IngressInfo.reusable": "True when the ingress can be used for several sessions.",
  "IngressInfo.state": "Current state of the ingress and of its input.",
  "IngressInfo.enabled": "Whether new connections are accepted (sent even when false).",
  "IngressAudioOptions.name": "Name of the published audio track.",
  "IngressAudioOptions.source": "Source the audio track is published as; absent means `UNKNOWN`.",
  "IngressAudioOptions.preset": "Encoding preset (set instead of `options`).",
  "IngressAudioOptions.options": "Encoding settings (set instead of `preset`).",
  "IngressAudioEncodingOptions.audioCodec": "Codec published to the room; absent means `DEFAULT_AC`.",
  "IngressAudioEncodingOptions.bitrate": "Bitrate in bits per second.",
  "IngressAudioEncodingOptions.disableDtx": "True to turn DTX off.",
  "IngressAudioEncodingOptions.channels": "Number of channels.",
  "IngressVideoOptions.name": "Name of the published video track.",
  "IngressVideoOptions.source": "Source the video track is published as; absent means `UNKNOWN`.",
  "IngressVideoOptions.preset": "Encoding preset (set instead of `options`).",
  "IngressVideoOptions.options": "Encoding settings (set instead of `preset`).",
  "IngressVideoEncodingOptions.videoCodec": "Codec published to the room; absent means `DEFAULT_VC`.",
  "IngressVideoEncodingOptions.frameRate": "Frames per second.",
  "IngressVideoEncodingOptions.layers": "Simulcast layers published.",
  "IngressState.status": "State of the ingress endpoint; absent means `ENDPOINT_INACTIVE`.",
  "IngressState.error": "Why the input failed or does not comply.",
  "IngressState.video": "What the received video looks like.",
  "IngressState.audio": "What the received audio looks like.",
  "IngressState.roomId": "Id of the room published to, now or last.",
  "IngressState.startedAt": "When the session started, in nanoseconds since the Unix epoch.",
  "IngressState.endedAt": "When the session ended, in nanoseconds since the Unix epoch.",
  "IngressState.updatedAt": "When the state last changed, in nanoseconds since the Unix epoch.",
  "IngressState.resourceId": "Id of the ingress session.",
  "IngressState.tracks": "Tracks the ingress publishes.",
  "InputVideoState.mimeType": "MIME type of the received video.",
  "InputVideoState.averageBitrate": "Average received bitrate in bits per second.",
  "InputVideoState.width": "Width in pixels.",
  "InputVideoState.height": "Height in pixels.",
  "InputVideoState.framerate": "Frames per second.",
  "InputAudioState.mimeType": "MIME type of the received audio.",
  "InputAudioState.averageBitrate": "Average received bitrate in bits per second.",
  "InputAudioState.channels": "Number of channels.",
  "InputAudioState.sampleRate": "Sample rate in Hz.",

  "Job.id": "Id of the job (`AJ_…`).",
  "Job.dispatchId": "Id of the dispatch that created the job.",
  "Job.type": "What the agent was dispatched for; absent means `JT_ROOM`.",
  "Job.room": "Room the agent works in.",
  "Job.participant": "Participant the job is about (publisher and participant jobs).",
  "Job.namespace": "Namespace of the agent (no longer used).",
  "Job.metadata": "Metadata given with the dispatch.",
  "Job.agentName": "Name of the dispatched agent.",
  "Job.state": "Progress of the job.",
  "Job.enableRecording": "True when the session is recorded.",
  "Job.deployment": "Deployment of the agent (LiveKit Cloud).",
  "Job.attributes": "Key-value attributes of the job.",
  "Job.enableRedaction": "True when sensitive data is redacted from the session's records.",
  "JobState.status": "Status of the job; absent means `JS_PENDING`.",
  "JobState.error": "Why the job failed.",
  "JobState.startedAt": "When the job started, in nanoseconds since the Unix epoch.",
  "JobState.endedAt": "When the job ended, in nanoseconds since the Unix epoch.",
  "JobState.updatedAt": "When the job last changed, in nanoseconds since the Unix epoch.",
  "JobState.participantIdentity": "Identity of the agent's participant in the room.",
  "JobState.workerId": "Id of the worker that runs the job.",
  "JobState.agentId": "Id of the agent.",
};

/** One-line descriptions of the drafted objects, in our words. */
const messageDescriptions = {
  Room: "A LiveKit room.",
  Codec: "A codec enabled in a room.",
  TimedVersion: "Version stamp of an object's state: a time and a counter.",
  ParticipantInfo: "A participant of a room.",
  ParticipantPermission: "What a participant may do in the room.",
  TrackInfo: "A media track published in a room.",
  VideoLayer: "One simulcast layer of a video track.",
  SimulcastCodecInfo: "A codec a track is published in, with its layers.",
  DataTrackInfo: "A data track published in a room.",
  DataTrackFrameEncoding: "Encoding of a data track's frames: a well-known one or a custom name.",
  DataTrackSchemaId: "The schema a typed data track's frames follow.",
  DataTrackSchemaEncoding: "Language of a data track schema's definition: a well-known one or a custom name.",
  EgressInfo: "An egress (recording or live stream) and its results.",
  StartEgressRequest: "An egress request made with the unified StartEgress API.",
  ExportReplayRequest: "A request to export part of a replay.",
  TemplateSource: "A room recorded through a layout template.",
  WebSource: "A web page recorded by a headless browser.",
  MediaSource: "Tracks recorded directly from a room.",
  ParticipantVideo: "The video of one participant.",
  AudioConfig: "Which audio an egress records and on which channel.",
  AudioRoute: "One audio selection and the channel it is recorded to.",
  EncodingOptions: "Encoding settings of an egress.",
  Output: "One output of a unified egress request.",
  FileOutput: "A file output of a unified egress request.",
  StreamOutput: "A live-stream output of an egress.",
  SegmentedFileOutput: "A segmented (HLS) output of an egress.",
  EncodedFileOutput: "A file output of an egress request.",
  DirectFileOutput: "A file a track egress writes without transcoding.",
  ImageOutput: "An image (thumbnail) output of an egress.",
  StorageConfig: "Where egress outputs are uploaded.",
  S3Upload: "Amazon S3 (or S3-compatible) upload settings.",
  GCPUpload: "Google Cloud Storage upload settings.",
  AzureBlobUpload: "Azure Blob Storage upload settings.",
  AliOSSUpload: "Alibaba Cloud OSS upload settings.",
  ProxyConfig: "An HTTP proxy used for uploads.",
  WebhookConfig: "An extra webhook endpoint of an egress.",
  FilterParams: "Which events a webhook endpoint receives.",
  RoomCompositeEgressRequest: "A request to record a whole room composed into one video.",
  WebEgressRequest: "A request to record a web page.",
  ParticipantEgressRequest: "A request to record one participant's tracks.",
  TrackCompositeEgressRequest: "A request to record one audio and one video track together.",
  TrackEgressRequest: "A request to export a single track without transcoding.",
  StreamInfo: "Result of one stream output.",
  StreamInfoList: "Results of the stream outputs (older form).",
  FileInfo: "Result of one file output.",
  SegmentsInfo: "Result of one segmented output.",
  ImagesInfo: "Result of one image output.",
  IngressInfo: "An ingress: media pushed to or pulled by LiveKit and published into a room.",
  IngressAudioOptions: "How an ingress publishes audio.",
  IngressAudioEncodingOptions: "Audio encoding settings of an ingress.",
  IngressVideoOptions: "How an ingress publishes video.",
  IngressVideoEncodingOptions: "Video encoding settings of an ingress.",
  IngressState: "State of an ingress and of the media it receives.",
  InputVideoState: "The video an ingress receives.",
  InputAudioState: "The audio an ingress receives.",
  Job: "An agent job: an agent dispatched to a room.",
  JobState: "Progress of an agent job.",
};

// ---------------------------------------------------------------------------------------------

const deprecated = readDeprecatedFields(path.join(packageDir, "src/gen"));
const messages = new Map();
for (const name of roots) collect(protocol[name]);

mkdirSync(outDir, { recursive: true });
const todo = [];
for (const [typeName, type] of messages) {
  const name = shortName(typeName);
  const file = `${fileName(name)}.schema.json`;
  const properties = {};
  for (const field of type.fields.list()) {
    const key = `${name}.${field.jsonName}`;
    let text = descriptions[key] ?? descriptions[`*.${field.jsonName}`];
    if (!text) {
      text = "TODO";
      todo.push(key);
    }
    properties[field.jsonName] = fieldSchema(field, text, deprecated.has(`${typeName}.${field.name}`));
  }
  const oneofs = [...new Set(type.fields.list().filter((f) => f.oneof).map((f) => f.oneof.name))];
  let description = messageDescriptions[name] ?? "TODO";
  if (oneofs.length > 0) {
    const groups = oneofs.map((o) => type.fields.list().filter((f) => f.oneof?.name === o).map((f) => `\`${f.jsonName}\``).join(", "));
    description += ` At most one of each group is present: ${groups.map((g) => `{${g}}`).join("; ")}.`;
  }
  description += ` LiveKit's \`${typeName}\` message as protojson writes it (${source}): fields holding their default value are left out.`;
  const schema = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `https://confhooks.dev/schemas/livekit/common/${file}`,
    title: `LiveKit ${name}`,
    description,
    type: "object",
    properties,
  };
  writeFileSync(path.join(outDir, file), `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`${messages.size} drafts from ${source} in ${outDir}`);
if (todo.length > 0) console.log(`fields without a description (TODO): ${todo.join(", ")}`);

function collect(type) {
  if (messages.has(type.typeName)) return;
  messages.set(type.typeName, type);
  for (const field of type.fields.list()) {
    if (field.kind === "message") collect(field.T);
    if (field.kind === "map" && field.V.kind === "message") collect(field.V.T);
  }
}

function fieldSchema(field, description, isDeprecated) {
  const { note, ...item } = valueSchema(field.kind === "map" ? field.V : field);
  const text = [description, note && (field.kind === "map" || field.repeated ? `Each value: ${note[0].toLowerCase()}${note.slice(1)}` : note)].filter(Boolean).join(" ");
  let schema;
  if (field.kind === "map") {
    schema = { type: "object", additionalProperties: item, description: text };
  } else if (field.repeated) {
    schema = { type: "array", items: item, description: text };
  } else if (item.$ref) {
    schema = { $ref: item.$ref, description: text };
  } else {
    schema = { ...item, description: text };
  }
  if (isDeprecated) schema.deprecated = true;
  return schema;
}

function valueSchema(field) {
  if (field.kind === "message") return { $ref: `${fileName(shortName(field.T.typeName))}.schema.json` };
  if (field.kind === "enum") {
    return { enum: field.T.values.map((v) => v.name), note: `A name of LiveKit's \`${field.T.typeName}\` enum (${source}).` };
  }
  switch (field.T) {
    case 1: // double
    case 2: // float
      return { type: "number" };
    case 3: // int64
    case 16: // sfixed64
    case 18: // sint64
      return { type: "string", pattern: "^-?[0-9]+$", note: "A 64-bit integer, written as a string of digits." };
    case 4: // uint64
    case 6: // fixed64
      return { type: "string", pattern: "^[0-9]+$", note: "A 64-bit integer, written as a string of digits." };
    case 5: // int32
    case 15: // sfixed32
    case 17: // sint32
      return { type: "integer" };
    case 13: // uint32
    case 7: // fixed32
      return { type: "integer", minimum: 0 };
    case 8:
      return { type: "boolean" };
    case 9:
      return { type: "string" };
    case 12: // bytes
      return { type: "string", pattern: "^[A-Za-z0-9+/]*={0,2}$", note: "Bytes, written in base64." };
    default:
      throw new Error(`unhandled scalar type ${field.T} of ${field.name}`);
  }
}

/** `livekit.ParticipantInfo` → `ParticipantInfo`. */
function shortName(typeName) {
  return typeName.replace(/^livekit\./, "");
}

/** `ParticipantInfo` → `participant-info`, `GCPUpload` → `gcp-upload`, `AliOSSUpload` → `ali-oss-upload`. */
function fileName(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/** `livekit.TrackInfo.simulcast` for every field whose declaration says `[deprecated = true]`. */
function readDeprecatedFields(dir) {
  const found = new Set();
  for (const file of readdirSync(dir).filter((f) => f.endsWith("_pb.d.ts"))) {
    let message;
    for (const match of readFileSync(path.join(dir, file), "utf8").matchAll(/@generated from (message [\w.]+|field: [^\n]*)/g)) {
      const text = match[1];
      if (text.startsWith("message ")) message = text.slice("message ".length);
      else if (message && /\[deprecated = true\]/.test(text)) found.add(`${message}.${text.match(/ (\w+) = \d+/)[1]}`);
    }
  }
  return found;
}
