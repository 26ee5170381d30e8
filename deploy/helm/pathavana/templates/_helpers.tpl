{{/* Names: with release "pathavana" they equal the kustomize manifests'. */}}
{{- define "pathavana.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 53 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 53 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "pathavana.labels" -}}
app.kubernetes.io/name: pathavana
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: pathavana
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of one component: (dict "ctx" $ "component" "api") */}}
{{- define "pathavana.selector" -}}
app.kubernetes.io/name: pathavana
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "pathavana.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{- define "pathavana.toolboxImage" -}}
{{ .Values.image.repository }}:{{ .Values.image.toolboxTag | default (printf "%s-toolbox" (.Values.image.tag | default .Chart.AppVersion)) }}
{{- end -}}

{{/* Pod-level settings every Pathavana pod shares. */}}
{{- define "pathavana.podSpecCommon" -}}
serviceAccountName: {{ include "pathavana.fullname" . }}
automountServiceAccountToken: false
enableServiceLinks: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{/* Container-level settings every Pathavana container shares. */}}
{{- define "pathavana.containerCommon" -}}
imagePullPolicy: {{ .Values.image.pullPolicy }}
envFrom:
  - configMapRef:
      name: {{ include "pathavana.fullname" . }}-config
  - secretRef:
      name: {{ .Values.secrets.name }}
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
{{- end -}}

{{- define "pathavana.scratchMounts" -}}
- name: tmp
  mountPath: /tmp
- name: data
  mountPath: /data
{{- end -}}

{{- define "pathavana.scratchVolumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
- name: data
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}
