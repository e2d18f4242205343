import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadAuthConfig } from '../../../apps/auth/src/config/auth.config';
import { loadMediaConfig } from '../../../apps/media/src/config/media.config';
import { loadRecordingConfig } from '../../../apps/recording/src/config/recording.config';
import { nodeOriginOf, nodeUrlOf } from '../../../apps/media/src/node-load/node-address';
import { loadRoomsConfig } from '../../../apps/rooms/src/config/rooms.config';
import { loadStatsConfig } from '../../../apps/stats/src/config/stats.config';
import { loadWebhooksConfig } from '../../../apps/webhooks/src/config/webhooks.config';
import { resolveBusOptions } from '@confer/bus';
import { validateAgainstApiSchema } from './kubernetes-schemas';
import { byKind, chartDir, K8sObject, podTemplates, renderChart, repoRoot, runHelm } from './render-chart';

// What a platform team relies on when it installs the chart. No cluster runs here, so the
// chart is checked as far as it can be without one: Helm's own lint, every rendered object
// against the Kubernetes API schemas, and the operational rules below.

const valueSets: Record<string, { valuesFiles?: string[] }> = {
  defaults: {},
  production: { valuesFiles: ['production.values.yaml'] },
  minimal: { valuesFiles: ['minimal.values.yaml'] },
};

const routes = JSON.parse(readFileSync(join(repoRoot, 'deploy', 'routes.json'), 'utf8')) as {
  services: Record<string, { port: number; entry: string }>;
};

const deployment = (objects: K8sObject[], component: string) =>
  byKind(objects, 'Deployment').find(
    (d) => d.metadata.labels?.['app.kubernetes.io/component'] === component,
  )!;

const containerEnv = (container: any): Record<string, any> =>
  Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));

/** The fields of a pod volume the tests read. */
interface PodVolume {
  name: string;
  emptyDir?: { sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string };
}

describe('the Helm chart', () => {
  jest.setTimeout(60_000);

  describe.each(Object.entries(valueSets))('with the %s values', (_name, values) => {
    let objects: K8sObject[];
    beforeAll(() => {
      objects = renderChart(values);
    });

    it('passes helm lint --strict', () => {
      const args = ['lint', '--strict', chartDir];
      for (const file of values.valuesFiles ?? []) args.push('-f', join(chartDir, 'examples', file));
      const run = runHelm(args);
      expect(run.stderr + run.stdout).toContain('0 chart(s) failed');
      expect(run.status).toBe(0);
    });

    it('renders only objects that match their Kubernetes API schema', () => {
      expect(objects.length).toBeGreaterThan(10);
      for (const object of objects) validateAgainstApiSchema(object);
    });

    it('runs every service: a Deployment and a Service for each, media on the host network', () => {
      for (const service of Object.keys(routes.services)) {
        expect(deployment(objects, service)?.metadata.name).toBe(`confer-${service}`);
        const svc = byKind(objects, 'Service').find(
          (s) => s.metadata.labels?.['app.kubernetes.io/component'] === service,
        );
        expect(svc?.spec.ports[0].port).toBe(routes.services[service].port);
      }
      // Each runs what `npm start` runs for it (the image is the repository, built).
      for (const [service, { entry }] of Object.entries(routes.services))
        expect(deployment(objects, service).spec.template.spec.containers[0].command).toEqual([
          'node',
          entry,
        ]);
      const frontDoor = deployment(objects, 'web').spec.template.spec.containers[0].command;
      expect(existsSync(join(repoRoot, frontDoor[1]))).toBe(true);
      const media = deployment(objects, 'media').spec.template.spec;
      expect(media.hostNetwork).toBe(true);
      expect(media.dnsPolicy).toBe('ClusterFirstWithHostNet');
      expect(
        media.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey,
      ).toBe('kubernetes.io/hostname');
    });

    it('gives every container resources, probes, a pinned image and a locked-down security context', () => {
      for (const { owner, pod } of podTemplates(objects)) {
        const podSecurity = pod.spec.securityContext;
        expect(podSecurity.runAsNonRoot).toBe(true);
        expect(podSecurity.runAsUser).toBeGreaterThan(0);
        expect(pod.spec.automountServiceAccountToken).toBe(false);
        for (const container of pod.spec.containers) {
          const where = `${owner.kind} ${owner.metadata.name} container ${container.name}`;
          expect({ where, image: container.image }).toEqual({
            where,
            image: expect.stringMatching(/^[^:]+:[^:]+$/),
          });
          expect(container.image).not.toMatch(/:latest$/);
          for (const bound of ['requests', 'limits'])
            for (const resource of ['cpu', 'memory'])
              expect({
                where,
                bound,
                resource,
                set: Boolean(container.resources?.[bound]?.[resource]),
              }).toEqual({
                where,
                bound,
                resource,
                set: true,
              });
          expect(container.securityContext).toMatchObject({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          });
          expect(container.securityContext.capabilities.add ?? []).toEqual([]);
          if (owner.kind === 'Deployment') {
            expect(container.livenessProbe.httpGet.path).toBe('/healthz');
            expect(['/readyz', '/healthz']).toContain(container.readinessProbe.httpGet.path);
            expect(container.ports[0].name).toBe('http');
          }
        }
      }
      // The backend services are ready only when their database and NATS answer.
      for (const service of ['auth', 'rooms', 'stats', 'webhooks', 'media'])
        expect(
          deployment(objects, service).spec.template.spec.containers[0].readinessProbe.httpGet.path,
        ).toBe('/readyz');
    });

    it('runs the migrations as a Job before install and upgrade, after the Secret it reads', () => {
      const [job] = byKind(objects, 'Job');
      expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      for (const service of ['auth', 'rooms', 'webhooks', 'stats'])
        expect(job.spec.template.spec.containers[0].command.join(' ')).toContain(
          `apps/${service}/dist/database/migrate.js`,
        );
      const secret = byKind(objects, 'Secret')[0];
      if (secret) {
        expect(secret.metadata.annotations?.['helm.sh/hook']).toContain('pre-install');
        expect(Number(secret.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
          Number(job.metadata.annotations?.['helm.sh/hook-weight']),
        );
      }
      // The services themselves are ordinary resources, installed after the hooks succeed.
      for (const d of byKind(objects, 'Deployment'))
        expect(d.metadata.annotations?.['helm.sh/hook']).toBeUndefined();
    });

    it('keeps budgets and autoscalers pointed at the pods they are meant for', () => {
      const deployments = byKind(objects, 'Deployment');
      for (const pdb of byKind(objects, 'PodDisruptionBudget')) {
        const matched = deployments.filter((d) =>
          Object.entries(pdb.spec.selector.matchLabels).every(
            ([k, v]) => d.spec.template.metadata.labels[k] === v,
          ),
        );
        expect(matched).toHaveLength(1);
      }
      for (const hpa of byKind(objects, 'HorizontalPodAutoscaler')) {
        const target = deployments.find((d) => d.metadata.name === hpa.spec.scaleTargetRef.name);
        // Each service's autoscaler scales that service's own Deployment.
        expect(target?.metadata.labels?.['app.kubernetes.io/component']).toBe(
          hpa.metadata.labels?.['app.kubernetes.io/component'],
        );
        expect(target!.spec.replicas).toBeUndefined(); // the autoscaler owns the count
      }
      for (const service of byKind(objects, 'Service')) {
        const matched = deployments.filter((d) =>
          Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
        );
        expect(matched).toHaveLength(1);
      }
    });

    it('sends the ingress to the front door, which knows every service the route table names', () => {
      const [ingress] = byKind(objects, 'Ingress');
      const web = deployment(objects, 'web');
      const backend = ingress.spec.rules[0].http.paths[0].backend.service.name;
      expect(byKind(objects, 'Service').find((s) => s.metadata.name === backend)?.spec.selector).toEqual(
        web.spec.template.metadata.labels &&
          Object.fromEntries(
            Object.entries(web.spec.template.metadata.labels).filter(([k]) =>
              [
                'app.kubernetes.io/name',
                'app.kubernetes.io/instance',
                'app.kubernetes.io/component',
              ].includes(k),
            ),
          ),
      );
      const upstreams = JSON.parse(containerEnv(web.spec.template.spec.containers[0]).CONFER_UPSTREAMS);
      expect(Object.keys(upstreams).sort()).toEqual(Object.keys(routes.services).sort());
      for (const [name, url] of Object.entries(upstreams))
        expect(url).toMatch(new RegExp(`^http://confer-${name}:${routes.services[name].port}$`));
    });
  });

  it('keeps secrets out of ConfigMaps and out of the front door', () => {
    const secrets = {
      'secrets.databaseUrl': 'postgres://confer:db-pass-7f3a@pg:5432/confer',
      'secrets.natsUrl': 'nats://confer:nats-pass-91bc@nats:4222',
      'secrets.encryptionKey': 'c0ffee'.repeat(10) + 'beef',
    };
    const objects = renderChart({ setString: secrets });
    const [secret] = byKind(objects, 'Secret');
    expect(secret.stringData).toEqual({
      DATABASE_URL: secrets['secrets.databaseUrl'],
      NATS_URL: secrets['secrets.natsUrl'],
      SECRET_ENCRYPTION_KEY: secrets['secrets.encryptionKey'],
      // Generated: 32 random bytes, base64.
      RECORDING_URL_SIGNING_KEY: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
    });
    const signingKey = String(secret.stringData?.RECORDING_URL_SIGNING_KEY);
    for (const object of objects.filter((o) => o.kind !== 'Secret')) {
      const text = JSON.stringify(object);
      for (const value of ['db-pass-7f3a', 'nats-pass-91bc', secrets['secrets.encryptionKey'], signingKey])
        expect({ object: `${object.kind} ${object.metadata.name}`, leaks: text.includes(value) }).toEqual({
          object: `${object.kind} ${object.metadata.name}`,
          leaks: false,
        });
    }
    const web = containerEnv(deployment(objects, 'web').spec.template.spec.containers[0]);
    expect(web.DATABASE_URL).toBeUndefined();
    expect(web.SECRET_ENCRYPTION_KEY).toBeUndefined();
  });

  it('generates an encryption key the auth service accepts when none is given', () => {
    const [secret] = byKind(
      renderChart({ setString: { 'secrets.databaseUrl': 'postgres://u:p@db/confer' } }),
      'Secret',
    );
    const key = secret.stringData!.SECRET_ENCRYPTION_KEY;
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    const again = byKind(
      renderChart({ setString: { 'secrets.databaseUrl': 'postgres://u:p@db/confer' } }),
      'Secret',
    )[0];
    expect(again.stringData!.SECRET_ENCRYPTION_KEY).not.toBe(key); // random, not a constant in the chart
  });

  it('stops an upgrade that would replace the encryption key with a new one', () => {
    const run = runHelm([
      'template',
      'confer',
      chartDir,
      '--is-upgrade',
      '--set-string',
      'secrets.databaseUrl=postgres://u:p@db/confer',
    ]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/holds no SECRET_ENCRYPTION_KEY to keep/);
    const given = runHelm([
      'template',
      'confer',
      chartDir,
      '--is-upgrade',
      '--set-string',
      `secrets.encryptionKey=${'ab'.repeat(32)}`,
    ]);
    expect(given.status).toBe(0);
  });

  it('configures each service with settings its own configuration loader accepts', () => {
    const objects = renderChart({ valuesFiles: ['production.values.yaml'] });
    const [configMap] = byKind(objects, 'ConfigMap');
    const secretValues = {
      DATABASE_URL: 'postgres://confer:x@pg:5432/confer',
      NATS_URL: 'nats://nats:4222',
      SECRET_ENCRYPTION_KEY: 'ab'.repeat(32),
      RECORDING_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      RECORDING_S3_SECRET_ACCESS_KEY: 's3-secret',
      RECORDING_URL_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    const envOf = (component: string) => {
      const container = deployment(objects, component).spec.template.spec.containers[0];
      const own = Object.fromEntries(
        (container.env as any[]).filter((e) => typeof e.value === 'string').map((e) => [e.name, e.value]),
      );
      return { ...configMap.data, ...secretValues, ...own, MEDIA_ANNOUNCED_IP: '203.0.113.7' };
    };
    expect(loadAuthConfig(envOf('auth')).PUBLIC_URL).toBe('https://meet.example.com');
    expect(loadRoomsConfig(envOf('rooms')).AUTH_JWKS_URL).toBe(
      'http://confer-auth:8081/.well-known/jwks.json',
    );
    expect(JSON.parse(loadRoomsConfig(envOf('rooms')).MEDIA_SERVERS)).toEqual([
      { id: 'serv0', region: 'eu-west', url: 'https://meet.example.com' },
    ]);
    expect(loadStatsConfig(envOf('stats')).STATS_PORT).toBe(8083);
    expect(resolveBusOptions({ service: 'stats' }, envOf('stats')).streams.events.replicas).toBe(3);
    expect(loadWebhooksConfig(envOf('webhooks')).WEBHOOKS_PORT).toBe(8084);
    expect(loadRecordingConfig(envOf('recording'))).toMatchObject({
      RECORDING_PORT: 8086,
      RECORDING_STORAGE: 's3',
      RECORDING_S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com',
      RECORDING_S3_BUCKET: 'meet-example-com-recordings',
      RECORDING_S3_REGION: 'eu-west-1',
      RECORDING_S3_FORCE_PATH_STYLE: false,
      RECORDING_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      RECORDING_WORK_DIR: '/var/confer/recording/work',
    });
    // Kubernetes expands $(POD_IP) from the pod's own address.
    const mediaEnv = Object.fromEntries(
      Object.entries(envOf('media')).map(([k, v]) => [k, String(v).replace('$(POD_IP)', '10.0.3.7')]),
    );
    const media = loadMediaConfig(mediaEnv);
    expect(media).toMatchObject({ MEDIA_PORT: 8085, MEDIA_WORKERS: 8, MEDIA_LISTEN_IP: '0.0.0.0' });
    // Presence renewals and the join grant keys come from the rooms Service.
    expect(media.ROOMS_URL).toBe('http://confer-rooms:8082');
    expect(media.MEDIA_RTC_MIN_PORT).toBeLessThan(media.MEDIA_RTC_MAX_PORT);
    // Each pod is announced at its own route through the front door, which reaches it at its address.
    expect(nodeUrlOf(media, 'confer-media-7d9f-x2k4q')).toBe(
      'https://meet.example.com/v1/media/nodes/confer-media-7d9f-x2k4q',
    );
    expect(nodeOriginOf(media)).toBe('http://10.0.3.7:8085');
  });

  describe('recording storage', () => {
    const recorder = (objects: K8sObject[]) => deployment(objects, 'recording').spec.template.spec;
    const s3Values = {
      'recording.replicas': '2',
      'recording.storage.type': 's3',
      'recording.storage.s3.endpoint': 'http://minio.storage:9000',
      'recording.storage.s3.bucket': 'recordings',
    };

    it('keeps recordings in S3 in the production example, its keys read from the Secret', () => {
      const objects = renderChart({ valuesFiles: ['production.values.yaml'] });
      const pod = recorder(objects);
      expect(deployment(objects, 'recording').spec.replicas).toBeGreaterThanOrEqual(2);
      const env = containerEnv(pod.containers[0]);
      expect(env).toMatchObject({
        RECORDING_STORAGE: 's3',
        RECORDING_S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com',
        RECORDING_S3_BUCKET: 'meet-example-com-recordings',
        RECORDING_S3_REGION: 'eu-west-1',
        RECORDING_S3_FORCE_PATH_STYLE: 'false',
        RECORDING_WORK_DIR: '/var/confer/recording/work',
      });
      for (const key of ['RECORDING_S3_ACCESS_KEY_ID', 'RECORDING_S3_SECRET_ACCESS_KEY'])
        expect(env[key]).toEqual({ secretKeyRef: { name: 'confer-keys', key, optional: true } });
      // Every replica signs file addresses with the same key, so each accepts the others'.
      expect(env.RECORDING_URL_SIGNING_KEY).toEqual({
        secretKeyRef: { name: 'confer-keys', key: 'RECORDING_URL_SIGNING_KEY', optional: true },
      });
      // Only the work directory is on the pod's own volume.
      expect(pod.containers[0].volumeMounts).toContainEqual({
        name: 'recording-work',
        mountPath: '/var/confer/recording/work',
      });
      // The pod's own scratch space, bounded (recording.workVolumeSize).
      expect(pod.volumes).toContainEqual({ name: 'recording-work', emptyDir: { sizeLimit: '20Gi' } });
      expect(pod.volumes.some((v: PodVolume) => v.persistentVolumeClaim)).toBe(false);
      for (const configMap of byKind(objects, 'ConfigMap'))
        expect(Object.keys(configMap.data ?? {}).filter((k) => k.startsWith('RECORDING_S3_'))).toEqual([]);
    });

    it("puts the S3 keys given to the chart in its Secret only, and the recorder's env reads them there", () => {
      const keys = {
        'secrets.recordingS3AccessKeyId': 'AKIA-s3-id-55aa',
        'secrets.recordingS3SecretAccessKey': 's3-secret-9e1d',
      };
      const objects = renderChart({ set: s3Values, setString: keys });
      const [secret] = byKind(objects, 'Secret');
      expect(secret.stringData).toMatchObject({
        RECORDING_S3_ACCESS_KEY_ID: keys['secrets.recordingS3AccessKeyId'],
        RECORDING_S3_SECRET_ACCESS_KEY: keys['secrets.recordingS3SecretAccessKey'],
      });
      for (const object of objects.filter((o) => o.kind !== 'Secret')) {
        const text = JSON.stringify(object);
        for (const value of Object.values(keys))
          expect({ object: `${object.kind} ${object.metadata.name}`, leaks: text.includes(value) }).toEqual({
            object: `${object.kind} ${object.metadata.name}`,
            leaks: false,
          });
      }
      const env = containerEnv(recorder(objects).containers[0]);
      expect(env.RECORDING_S3_SECRET_ACCESS_KEY).toEqual({
        secretKeyRef: { name: 'confer-secrets', key: 'RECORDING_S3_SECRET_ACCESS_KEY' },
      });
      // Without keys the chart's Secret holds none, and the SDK's credentials chain is used.
      const keyless = renderChart({ set: s3Values });
      expect(Object.keys(byKind(keyless, 'Secret')[0].stringData!)).not.toContain(
        'RECORDING_S3_ACCESS_KEY_ID',
      );
      expect(containerEnv(recorder(keyless).containers[0])).not.toHaveProperty('RECORDING_S3_ACCESS_KEY_ID');
      expect(() =>
        renderChart({ set: s3Values, setString: { 'secrets.recordingS3AccessKeyId': 'AKIA' } }),
      ).toThrow(/secrets.recordingS3AccessKeyId and secrets.recordingS3SecretAccessKey go together/);
    });

    it('mounts a shared volume claim as the storage directory of every replica', () => {
      const objects = renderChart({
        set: { 'recording.replicas': '3', 'recording.storage.local.sharedVolumeClaim': 'confer-recordings' },
      });
      for (const object of objects) validateAgainstApiSchema(object);
      const pod = recorder(objects);
      const env = containerEnv(pod.containers[0]);
      expect(env).toMatchObject({
        RECORDING_STORAGE: 'local',
        RECORDING_STORAGE_DIR: '/var/confer/recording/files',
        RECORDING_WORK_DIR: '/var/confer/recording/work',
      });
      expect(pod.volumes).toContainEqual({
        name: 'recording-files',
        persistentVolumeClaim: { claimName: 'confer-recordings' },
      });
      expect(pod.containers[0].volumeMounts).toEqual(
        expect.arrayContaining([
          { name: 'recording-files', mountPath: '/var/confer/recording/files' },
          { name: 'recording-work', mountPath: '/var/confer/recording/work' },
        ]),
      );
      // The pod's own scratch space, bounded (recording.workVolumeSize).
      expect(pod.volumes).toContainEqual({ name: 'recording-work', emptyDir: { sizeLimit: '20Gi' } });
    });

    it("keeps the defaults' one replica on the pod's own disk, and says so", () => {
      const objects = renderChart();
      expect(deployment(objects, 'recording').spec.replicas).toBe(1);
      const pod = recorder(objects);
      expect(containerEnv(pod.containers[0])).toMatchObject({
        RECORDING_STORAGE: 'local',
        RECORDING_STORAGE_DIR: '/var/confer/recording/files',
      });
      expect(pod.volumes.some((v: PodVolume) => v.persistentVolumeClaim)).toBe(false);
      const notes = runHelm(['install', 'confer', chartDir, '--dry-run=client', '--namespace', 'calls']);
      expect(notes.stdout).toMatch(/Recordings are kept on the recording pod's own disk/);
    });

    it.each([
      ['two replicas', { 'recording.replicas': '2' }],
      ['autoscaling', { 'recording.autoscaling.enabled': 'true' }],
    ])('refuses local storage without a shared claim for %s', (_what, set) => {
      expect(() => renderChart({ set })).toThrow(
        /recording.storage.type local keeps recordings on each pod's own disk.*recording.storage.local.sharedVolumeClaim/,
      );
    });

    it('refuses S3 storage without a bucket or an endpoint', () => {
      const { ['recording.storage.s3.bucket']: _bucket, ...noBucket } = s3Values;
      expect(() => renderChart({ set: noBucket })).toThrow(
        /recording.storage.type s3 needs recording.storage.s3.endpoint and recording.storage.s3.bucket/,
      );
      const { ['recording.storage.s3.endpoint']: _endpoint, ...noEndpoint } = s3Values;
      expect(() => renderChart({ set: noEndpoint })).toThrow(/recording.storage.type s3 needs/);
    });
  });

  it('announces the node address to WebRTC clients and waits hours for a draining media pod', () => {
    const media = deployment(renderChart(), 'media').spec.template.spec;
    const env = containerEnv(media.containers[0]);
    expect(env.MEDIA_ANNOUNCED_IP).toEqual({ fieldRef: { fieldPath: 'status.hostIP' } });
    expect(env.MEDIA_DRAIN_GRACE_SECONDS).toBe(String(5 * 3600));
    expect(env.MEDIA_NODE_REPORT_SECONDS).toBe('2');
    // The grace, then a minute to close what is left.
    expect(media.terminationGracePeriodSeconds).toBe(5 * 3600 + 60);
  });

  it('routes signaling to each of several media pods through the front door, which hears their reports', () => {
    const objects = renderChart({ set: { 'media.replicas': '3' } });
    const media = deployment(objects, 'media');
    expect(media.spec.replicas).toBe(3);
    const env = containerEnv(media.spec.template.spec.containers[0]);
    // A pod is its own node: its name is its id, its address (the node's, on the host network) its origin.
    expect(env.MEDIA_NODE_ID).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(env.MEDIA_NODE_ROUTED).toBe('true');
    expect(env.POD_IP).toEqual({ fieldRef: { fieldPath: 'status.podIP' } });
    expect(env.MEDIA_NODE_ORIGIN).toBe('http://$(POD_IP):8085');
    const names = media.spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(names.indexOf('POD_IP')).toBeLessThan(names.indexOf('MEDIA_NODE_ORIGIN')); // expanded in order
    // The front door follows the reports on the same NATS, and gets no other secret.
    const web = containerEnv(deployment(objects, 'web').spec.template.spec.containers[0]);
    expect(web.NATS_URL).toEqual({ secretKeyRef: { name: 'confer-secrets', key: 'NATS_URL' } });

    // Without routing by node, neither: the media Service reaches the (one) pod.
    const direct = renderChart({ set: { 'media.routeByNode': 'false' } });
    expect(containerEnv(deployment(direct, 'media').spec.template.spec.containers[0])).not.toHaveProperty(
      'MEDIA_NODE_ROUTED',
    );
    expect(containerEnv(deployment(direct, 'web').spec.template.spec.containers[0])).not.toHaveProperty(
      'NATS_URL',
    );
  });

  it('installs the same alert rules as deploy/prometheus, and a ServiceMonitor for every service', () => {
    const objects = renderChart({ valuesFiles: ['production.values.yaml'] });
    const [rule] = byKind(objects, 'PrometheusRule');
    const rules = parse(readFileSync(join(repoRoot, 'deploy', 'prometheus', 'confer-alerts.yaml'), 'utf8'));
    expect(rule.spec).toEqual(rules);
    const [monitor] = byKind(objects, 'ServiceMonitor');
    const scraped = byKind(objects, 'Service').filter((s) =>
      Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v),
    );
    expect(scraped.map((s) => s.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual(
      [...Object.keys(routes.services), 'web'].sort(),
    );
  });

  it('serves TLS on the ingress when asked, and refuses TLS without a certificate Secret', () => {
    const [ingress] = byKind(
      renderChart({ set: { 'ingress.tls.enabled': 'true', 'ingress.tls.secretName': 'meet-tls' } }),
      'Ingress',
    );
    expect(ingress.spec.tls).toEqual([{ hosts: ['confer.local'], secretName: 'meet-tls' }]);
    expect(() => renderChart({ set: { 'ingress.tls.enabled': 'true' } })).toThrow(
      /ingress.tls.secretName is required/,
    );
  });

  it.each([
    ['an unknown key', ['--set', 'rooms.replica=3'], /additional properties 'replica' not allowed/],
    ['a wrong type', ['--set', 'rooms.replicas=three'], /rooms\/replicas.*want integer/],
    ['the latest tag', ['--set', 'image.tag=latest'], /image\/tag/],
    ['a public URL with a path', ['--set', 'publicUrl=https://x.example/app'], /publicUrl/],
    ['an unknown recording storage', ['--set', 'recording.storage.type=gcs'], /recording\/storage\/type/],
    [
      'an unknown key of the S3 settings',
      ['--set', 'recording.storage.s3.bucketName=x'],
      /additional properties 'bucketName' not allowed/,
    ],
    [
      'a wrong type of the S3 settings',
      ['--set-string', 'recording.storage.s3.forcePathStyle=yes'],
      /recording\/storage\/s3\/forcePathStyle.*want boolean/,
    ],
    ['a media server id the rooms service would refuse', ['--set', 'media.serverId=eu1'], /media\/serverId/],
    [
      'several media pods a Service would pick among at random',
      ['--set', 'media.routeByNode=false', '--set', 'media.replicas=2'],
      /media\/replicas/,
    ],
  ])('rejects %s through values.schema.json', (_what, args, message) => {
    const run = runHelm(['template', 'confer', chartDir, ...args]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
  });
});
