{{/* Names ---------------------------------------------------------------- */}}

{{- define "confer.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The Kubernetes name of one component: "<release>-confer-rooms". */}}
{{- define "confer.componentName" -}}
{{- printf "%s-%s" (include "confer.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "confer.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "confer.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "confer.secretName" -}}
{{- default (printf "%s-secrets" (include "confer.fullname" .)) .Values.existingSecret -}}
{{- end -}}

{{/* Labels --------------------------------------------------------------- */}}

{{- define "confer.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "confer.labels" -}}
{{ include "confer.selectorLabels" . }}
app.kubernetes.io/part-of: confer
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* The image every service runs, with a pinned tag. */}}
{{- define "confer.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Configuration -------------------------------------------------------- */}}

{{/* In-cluster address of a component's Service. */}}
{{- define "confer.serviceUrl" -}}
{{- printf "http://%s:%v" (include "confer.componentName" (dict "root" .root "component" .component)) .port -}}
{{- end -}}

{{/*
The non-secret settings every service reads, as a YAML map. The ConfigMap holds them
for the services; the migration Job, which runs before the ConfigMap exists, takes
them from here directly, so both always agree.
*/}}
{{- define "confer.configData" -}}
{{- $root := . -}}
PUBLIC_URL: {{ trimSuffix "/" .Values.publicUrl | quote }}
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
NATS_STREAM_REPLICAS: {{ .Values.nats.streamReplicas | quote }}
HOST: "0.0.0.0"
TRUST_PROXY: "true"
AUTH_JWKS_URL: {{ printf "%s/.well-known/jwks.json" (include "confer.serviceUrl" (dict "root" $root "component" "auth" "port" 8081)) | quote }}
ROOMS_URL: {{ include "confer.serviceUrl" (dict "root" $root "component" "rooms" "port" 8082) | quote }}
DEFAULT_RATE_LIMIT_PER_SECOND: {{ .Values.config.defaultRateLimitPerSecond | quote }}
OUTBOUND_ALLOWED_HOSTS: {{ .Values.config.outboundAllowedHosts | quote }}
WEBHOOKS_ALLOW_HTTP: {{ .Values.config.webhooksAllowHttp | quote }}
GLAYR_SUBSCRIPTION_TTL_SECONDS: {{ .Values.config.glayrSubscriptionTtlSeconds | quote }}
WEBINAR_MAX_SPEAKERS: {{ .Values.config.webinarMaxSpeakers | quote }}
WEBINAR_MAX_VIEWERS: {{ .Values.config.webinarMaxViewers | quote }}
{{- with .Values.config.defaultOrgId }}
DEFAULT_ORG_ID: {{ . | quote }}
{{- end }}
{{- if .Values.config.mediaServers }}
MEDIA_SERVERS: {{ toJson .Values.config.mediaServers | quote }}
{{- else }}
MEDIA_SERVERS: {{ toJson (list (dict "id" "serv0" "region" "default" "url" (trimSuffix "/" .Values.publicUrl))) | quote }}
{{- end }}
{{- with .Values.telemetry.otlpEndpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
OTEL_TRACES_SAMPLER: "parentbased_traceidratio"
OTEL_TRACES_SAMPLER_ARG: {{ $root.Values.telemetry.sampleRatio | quote }}
{{- end }}
{{- range $name, $value := .Values.config.extraEnv }}
{{ $name }}: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* The secret settings, as env entries read from Secrets. */}}
{{- define "confer.secretEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
{{- if or .Values.secrets.databaseUrl (and .Values.existingSecret (not .Values.database.urlSecret.name)) }}
      name: {{ include "confer.secretName" . }}
      key: DATABASE_URL
{{- else }}
      name: {{ required "database.urlSecret.name, secrets.databaseUrl or existingSecret must give the database URL" .Values.database.urlSecret.name }}
      key: {{ .Values.database.urlSecret.key }}
{{- end }}
{{- range $key := list "NATS_URL" "SECRET_ENCRYPTION_KEY" }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ include "confer.secretName" $ }}
      key: {{ $key }}
{{- end }}
{{- end -}}

{{/* A component's own environment variables (values.<component>.extraEnv). */}}
{{- define "confer.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Pod scaffolding shared by every service ------------------------------ */}}

{{/* The migration Job runs before the ServiceAccount exists, so it takes only this part. */}}
{{- define "confer.podSecurity" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end -}}

{{/*
Liveness on /healthz (the process answers), readiness on /readyz (its database and NATS
answer). The front door's /readyz reports every service, so it is ready on /healthz:
one service down must not take the whole ingress with it.
*/}}
{{- define "confer.probes" -}}
startupProbe:
  httpGet: { path: /healthz, port: http }
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet: { path: /healthz, port: http }
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: { path: {{ .readyPath | default "/readyz" }}, port: http }
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}

{{/* Node writes a little to /tmp; the root filesystem stays read-only. */}}
{{- define "confer.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}

{{- define "confer.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{/*
The stateless services: what each runs and on which port. Media, which needs the
node's network, has its own template.
*/}}
{{- define "confer.statelessComponents" -}}
- { name: auth, port: 8081, portEnv: AUTH_PORT, workersEnv: AUTH_WORKERS, entry: apps/auth/dist/main.js }
- { name: rooms, port: 8082, portEnv: ROOMS_PORT, workersEnv: ROOMS_WORKERS, entry: apps/rooms/dist/main.js }
- { name: stats, port: 8083, portEnv: STATS_PORT, workersEnv: "", entry: apps/stats/dist/main.js }
- { name: webhooks, port: 8084, portEnv: WEBHOOKS_PORT, workersEnv: WEBHOOKS_WORKERS, entry: apps/webhooks/dist/main.js }
- { name: recording, port: 8086, portEnv: RECORDING_PORT, workersEnv: "", entry: apps/recording/dist/main.js, recorder: true }
- { name: web, port: 8080, portEnv: PORT, workersEnv: "", entry: deploy/gateway/serve.mjs, frontDoor: true }
{{- end -}}

{{/* Where the front door sends each service's paths: {"auth":"http://…:8081",…}. */}}
{{- define "confer.upstreams" -}}
{{- $root := . -}}
{{- $upstreams := dict -}}
{{- range $c := include "confer.statelessComponents" . | fromYamlArray -}}
{{- if ne $c.name "web" -}}
{{- $_ := set $upstreams $c.name (include "confer.serviceUrl" (dict "root" $root "component" $c.name "port" $c.port)) -}}
{{- end -}}
{{- end -}}
{{- $_ := set $upstreams "media" (include "confer.serviceUrl" (dict "root" $root "component" "media" "port" .Values.media.port)) -}}
{{- toJson $upstreams -}}
{{- end -}}

{{/* Recording storage ---------------------------------------------------- */}}

{{/*
Stops the install when the recordings' store cannot work: every replica serves any
recording's files and rebuilds a dead replica's interrupted part from the store, so
several replicas need one store they all reach.
*/}}
{{- define "confer.recordingStorage.check" -}}
{{- $recording := .Values.recording -}}
{{- $storage := $recording.storage -}}
{{- if eq $storage.type "s3" -}}
{{- if not (and (dig "s3" "endpoint" "" $storage) (dig "s3" "bucket" "" $storage)) -}}
{{- fail "recording.storage.type s3 needs recording.storage.s3.endpoint and recording.storage.s3.bucket (an existing bucket)" -}}
{{- end -}}
{{- if not .Values.existingSecret -}}
{{- if ne (empty .Values.secrets.recordingS3AccessKeyId) (empty .Values.secrets.recordingS3SecretAccessKey) -}}
{{- fail "secrets.recordingS3AccessKeyId and secrets.recordingS3SecretAccessKey go together: set both, or neither to use the SDK's credentials chain" -}}
{{- end -}}
{{- end -}}
{{- else if and (not (dig "local" "sharedVolumeClaim" "" $storage)) (or (gt (int $recording.replicas) 1) $recording.autoscaling.enabled) -}}
{{- fail "recording.storage.type local keeps recordings on each pod's own disk, so with recording.replicas above 1 (or recording.autoscaling.enabled) a replica could neither serve another's recordings nor rebuild a dead one's part: set recording.storage.type s3 (with recording.storage.s3.endpoint and bucket), or recording.storage.local.sharedVolumeClaim to a ReadWriteMany PersistentVolumeClaim, or recording.replicas to 1" -}}
{{- end -}}
{{- end -}}

{{/* The recorder's storage settings, as env entries (keys from the Secret, never the ConfigMap). */}}
{{- define "confer.recordingStorage.env" -}}
{{- include "confer.recordingStorage.check" . -}}
{{- $storage := .Values.recording.storage }}
- name: RECORDING_WORK_DIR
  value: /var/confer/recording/work
- name: RECORDING_STORAGE
  value: {{ $storage.type | quote }}
# One key for every replica: an address signed by one is accepted by the others.
- name: RECORDING_URL_SIGNING_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "confer.secretName" . }}
      key: RECORDING_URL_SIGNING_KEY
      {{- if .Values.existingSecret }}
      # Optional in a Secret of yours: without it, each replica makes its own (one replica only).
      optional: true
      {{- end }}
{{- if eq $storage.type "s3" }}
- name: RECORDING_S3_ENDPOINT
  value: {{ $storage.s3.endpoint | quote }}
- name: RECORDING_S3_BUCKET
  value: {{ $storage.s3.bucket | quote }}
- name: RECORDING_S3_REGION
  value: {{ $storage.s3.region | default "us-east-1" | quote }}
- name: RECORDING_S3_FORCE_PATH_STYLE
  value: {{ ternary "true" "false" (ne (toString $storage.s3.forcePathStyle) "false") | quote }}
{{- if or .Values.existingSecret .Values.secrets.recordingS3AccessKeyId }}
{{- range $key := list "RECORDING_S3_ACCESS_KEY_ID" "RECORDING_S3_SECRET_ACCESS_KEY" }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ include "confer.secretName" $ }}
      key: {{ $key }}
      {{- if $.Values.existingSecret }}
      # Optional in a Secret of yours: without keys, the SDK's credentials chain.
      optional: true
      {{- end }}
{{- end }}
{{- end }}
{{- else }}
- name: RECORDING_STORAGE_DIR
  value: /var/confer/recording/files
{{- end }}
{{- end -}}

{{/*
Work directory on a per-pod emptyDir; with local storage the storage directory is the
shared claim when one is given, else beside the work directory on the same emptyDir.
*/}}
{{- define "confer.recordingStorage.mounts" -}}
{{- $claim := dig "local" "sharedVolumeClaim" "" .Values.recording.storage -}}
{{- if and (eq .Values.recording.storage.type "local") (not $claim) }}
- name: recording-work
  mountPath: /var/confer/recording
{{- else }}
- name: recording-work
  mountPath: /var/confer/recording/work
{{- if eq .Values.recording.storage.type "local" }}
- name: recording-files
  mountPath: /var/confer/recording/files
{{- end }}
{{- end }}
{{- end -}}

{{- define "confer.recordingStorage.volumes" -}}
{{- $claim := dig "local" "sharedVolumeClaim" "" .Values.recording.storage }}
# Parts being encoded: they need not outlive the pod, since every segment is kept in the
# store as soon as it is finished.
- name: recording-work
  emptyDir:
    sizeLimit: {{ .Values.recording.workVolumeSize | default "20Gi" }}
{{- if and (eq .Values.recording.storage.type "local") $claim }}
# Kept recordings, one volume shared by every replica.
- name: recording-files
  persistentVolumeClaim:
    claimName: {{ $claim }}
{{- end }}
{{- end -}}
