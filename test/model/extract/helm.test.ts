import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/helm.js';
import type { DeploymentUnit } from '../../../src/model/facts.js';
import { runExtractor } from '../../helpers/extract.js';

const chart = (name: string, extra = '') => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\nappVersion: "1.4.0"\n${extra}`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          env:
            - name: PAYMENTS_URL
              value: {{ .Values.paymentsUrl | quote }}
            - name: DB_HOST
              valueFrom:
                configMapKeyRef:
                  name: {{ include "app.fullname" . }}-config
                  key: dbHost
            - name: RELEASE
              value: {{ .Release.Name }}-{{ include "app.suffix" . }}
            {{- with .Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          livenessProbe:
            {{- toYaml .Values.livenessProbe | nindent 12 }}
          {{- if .Values.readiness.enabled }}
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          {{- end }}
`;

const hpa = `{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "app.fullname" . }}
spec:
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
{{- end }}
`;

const service = `apiVersion: v1
kind: Service
metadata:
  name: orders-api
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: {{ .Values.service.port }}
`;

const ingress = `{{- if .Values.ingress.enabled -}}
{{- $fullName := include "app.fullname" . -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $fullName }}
spec:
  rules:
    - host: {{ .Values.ingress.host }}
      http:
        paths:
          - path: /orders
            pathType: Prefix
            backend:
              service:
                name: {{ $fullName }}
                port:
                  number: 80
{{- end }}
`;

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "app.fullname" . }}-config
data:
  dbHost: {{ .Values.db.host }}
`;

const values = (overrides = '') => `replicaCount: 2
image:
  repository: registry.example.com/orders
  tag: ""
paymentsUrl: http://payments:8080
db:
  host: orders-db
extraEnv:
  - name: FEATURE_X
    value: "on"
livenessProbe:
  httpGet:
    path: /health/live
    port: http
readiness:
  enabled: false
autoscaling:
  enabled: false
  maxReplicas: 5
service:
  type: ClusterIP
  port: 80
ingress:
  enabled: false
  host: shop.example.com
${overrides}`;

function orders(valuesText = values(), more: Record<string, string> = {}): Record<string, string> {
  return {
    'deploy/orders/values.yaml': valuesText,
    'deploy/orders/templates/_helpers.tpl': '{{- define "app.fullname" -}}{{ .Release.Name }}{{- end -}}',
    'deploy/orders/templates/deployment.yaml': deployment,
    'deploy/orders/templates/hpa.yaml': hpa,
    'deploy/orders/templates/service.yaml': service,
    'deploy/orders/templates/ingress.yaml': ingress,
    'deploy/orders/templates/configmap.yaml': configMap,
    ...more,
  };
}

const run = (path: string, text: string, files: Record<string, string>) => runExtractor(extractor, path, text, files);
const units = async (path: string, text: string, files: Record<string, string>): Promise<Record<string, DeploymentUnit>> =>
  Object.fromEntries(((await run(path, text, files))?.deployments ?? []).map((d) => [d.name, d]));

describe('helm', () => {
  it('a chart deploys a unit named after the release, read from its templates with its default values', async () => {
    const facts = await run('deploy/orders/Chart.yaml', chart('orders'), orders());
    const [unit] = facts?.deployments ?? [];
    expect(unit).toMatchObject({
      format: 'helm',
      name: 'orders',
      images: ['registry.example.com/orders:1.4.0'],
      replicas: 2,
      autoscaling: false,
      published: [],
      location: { file: 'deploy/orders/templates/deployment.yaml', line: 2 },
    });
    expect(unit?.environment.map((s) => [s.key, s.value, s.location.line])).toEqual([
      ['PAYMENTS_URL', 'http://payments:8080', 15],
      ['DB_HOST', 'orders-db', 17],
      ['RELEASE', 'orders-{{ include "app.suffix" . }}', 22],
      ['FEATURE_X', 'on', 25],
    ]);
    // The readiness probe is switched off by default; the liveness probe comes from values.
    expect(unit?.health.map((h) => [h.what, h.location.line])).toEqual([['livenessProbe httpGet /health/live', 28]]);
    expect(unit?.aliases).toEqual(['orders-api']);
    expect(facts?.gateways).toBeUndefined();
  });

  it('autoscaling, published Services and Ingress routes follow what the values switch on', async () => {
    const more = 'nameOverride: shop-orders\n';
    const on = values(more).replace('autoscaling:\n  enabled: false', 'autoscaling:\n  enabled: true').replace('type: ClusterIP', 'type: LoadBalancer').replace('ingress:\n  enabled: false', 'ingress:\n  enabled: true');
    const facts = await run('deploy/orders/Chart.yaml', chart('orders'), orders(on));
    const [unit] = facts?.deployments ?? [];
    expect(unit).toMatchObject({ name: 'shop-orders', autoscaling: true, replicas: null, published: ['80'] });
    expect(facts?.gateways).toEqual([
      {
        implementation: 'ingress',
        runsIn: null,
        routes: [{ path: '/orders', host: 'shop.example.com', upstream: 'shop-orders', breaker: false, location: { file: 'deploy/orders/templates/ingress.yaml', line: 12 } }],
        location: { file: 'deploy/orders/templates/ingress.yaml', line: 4 },
      },
    ]);
  });

  it('an image the template builds with a helper comes from values; values env maps and values-<profile> files are environment', async () => {
    const files = {
      'charts/catalog/values.yaml': 'image:\n  repository: shop/catalog\n  tag: "2.0"\nenv:\n  CATALOG_DB: Host=catalog-db;Database=catalog\n',
      'charts/catalog/values-prod.yaml': 'env:\n  CATALOG_DB: Host=prod-db;Database=catalog\n',
      'charts/catalog/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: catalog\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: "{{ template "fqdn-image" . }}:{{ .Values.image.tag }}"\n',
    };
    const unit = (await units('charts/catalog/Chart.yaml', chart('catalog'), files))['catalog'];
    expect(unit?.images).toEqual(['shop/catalog:2.0']);
    expect(unit?.environment.map((s) => [s.key, s.value, s.profile, s.location.file, s.location.line])).toEqual([
      ['CATALOG_DB', 'Host=catalog-db;Database=catalog', null, 'charts/catalog/values.yaml', 5],
      ['CATALOG_DB', 'Host=prod-db;Database=catalog', 'prod', 'charts/catalog/values-prod.yaml', 2],
    ]);
  });

  it('a chart that fills in a shared base chart is one unit with the parent values over the base ones; the base alone deploys nothing', async () => {
    const base = {
      'k8s/base/Chart.yaml': chart('base'),
      'k8s/base/values.yaml': 'replicaCount: 1\nimage:\n  repository: ""\n  tag: ""\nnameOverride: ""\n',
      'k8s/base/templates/deployment.yaml': deployment.replace(/\n {10}env:[\s\S]*?(?=\n {10}livenessProbe)/, '').replace(/ {10}livenessProbe:\n.*\n/, ''),
    };
    const cart = chart('cart', 'dependencies:\n  - name: base\n    version: 0.1.0\n    repository: file://../base\n');
    const cartValues = 'base:\n  nameOverride: cart\n  replicaCount: 3\n  image:\n    repository: ghcr.io/shop/cart\n    tag: latest\n';
    const found = await units('k8s/cart/Chart.yaml', cart, { ...base, 'k8s/cart/values.yaml': cartValues });
    expect(Object.keys(found)).toEqual(['cart']);
    expect(found['cart']).toMatchObject({ images: ['ghcr.io/shop/cart:latest'], replicas: 3, location: { file: 'k8s/base/templates/deployment.yaml' } });
    expect(await run('k8s/base/Chart.yaml', base['k8s/base/Chart.yaml'], base)).toBeNull();
  });

  it('an umbrella chart gives one unit per enabled subchart; vendored subcharts and library charts deploy nothing on their own', async () => {
    const workload = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: {{ .Values.image }}\n          env:\n            - name: TARGET\n              value: {{ .Values.target }}\n`;
    const files = {
      'shop/values.yaml': 'orders:\n  target: http://payments\npayments:\n  image: shop/payments:3\nmail:\n  enabled: false\n',
      'shop/charts/orders/Chart.yaml': chart('orders'),
      'shop/charts/orders/values.yaml': 'image: shop/orders:1\ntarget: http://nowhere\n',
      'shop/charts/orders/templates/deployment.yaml': workload('orders'),
      'shop/charts/payments/Chart.yaml': chart('payments'),
      'shop/charts/payments/values.yaml': 'image: shop/payments:1\ntarget: ""\n',
      'shop/charts/payments/templates/deployment.yaml': workload('payments'),
      'shop/charts/mail/Chart.yaml': chart('mail'),
      'shop/charts/mail/values.yaml': 'image: shop/mail:1\n',
      'shop/charts/mail/templates/deployment.yaml': workload('mail'),
      'shop/charts/common/Chart.yaml': chart('common', 'type: library\n'),
    };
    const umbrella = chart(
      'shop',
      'dependencies:\n  - name: orders\n    version: 0.1.0\n  - name: payments\n    version: 0.1.0\n  - name: mail\n    version: 0.1.0\n    condition: mail.enabled\n  - name: common\n    version: 0.1.0\n',
    );
    const found = await units('shop/Chart.yaml', umbrella, files);
    expect(Object.keys(found)).toEqual(['orders', 'payments']);
    expect(found['orders']?.environment.map((s) => [s.key, s.value])).toEqual([['TARGET', 'http://payments']]);
    expect(found['payments']?.images).toEqual(['shop/payments:3']);
    expect(await run('shop/charts/orders/Chart.yaml', files['shop/charts/orders/Chart.yaml'], { ...files, 'shop/Chart.yaml': umbrella })).toBeNull();
    // Helm 2: the dependencies in requirements.yaml.
    const helm2 = { ...files, 'shop/requirements.yaml': umbrella.slice(umbrella.indexOf('dependencies:')) };
    expect(Object.keys(await units('shop/Chart.yaml', 'apiVersion: v1\nname: shop\nversion: 0.1.0\n', helm2))).toEqual(['orders', 'payments']);
    expect(await run('shop/charts/common/Chart.yaml', files['shop/charts/common/Chart.yaml'], files)).toBeNull();
  });

  it('ranges over values lists render once per item; a chart without a workload deploys nothing', async () => {
    const files = {
      'c/values.yaml': 'image: shop/c:1\nenv:\n  values:\n    - name: A\n      value: one\n    - name: B\n      value: two\n',
      'c/templates/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: c\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: {{ .Values.image }}\n          env:\n          {{- range .Values.env.values }}\n            - name: {{ .name }}\n              value: {{ .value | quote }}\n          {{- end }}\n',
    };
    const unit = (await units('c/Chart.yaml', chart('c'), files))['c'];
    expect(unit?.environment.map((s) => [s.key, s.value])).toEqual([
      ['A', 'one'],
      ['B', 'two'],
    ]);
    const onlyConfig = { 'd/values.yaml': 'x: 1\n', 'd/templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata:\n  A: "1"\n' };
    expect(await run('d/Chart.yaml', chart('d'), onlyConfig)).toBeNull();
    expect(await run('e/Chart.yaml', 'apiVersion: v2\nversion: 1.0.0\n', {})).toMatchObject({ diagnostics: [{ file: 'e/Chart.yaml' }] });
  });

  it('in a chart of several workloads, each gets the Services that select it and the autoscaler that targets it', async () => {
    const workload = (name: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: server\n          image: shop/${name}:{{ .Values.tag }}\n`;
    const svc = (name: string, app: string, type: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  type: ${type}\n  selector:\n    app: ${app}\n  ports:\n    - port: 80\n`;
    const files = {
      'shop/values.yaml': 'tag: v1\n',
      'shop/templates/frontend.yaml': `${workload('frontend')}---\n${svc('frontend', 'frontend', 'ClusterIP')}---\n${svc('frontend-external', 'frontend', 'LoadBalancer')}`,
      'shop/templates/cart.yaml': `${workload('cart')}---\n${svc('cart-api', 'cart', 'ClusterIP')}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: cart\nspec:\n  scaleTargetRef:\n    name: cart\n  maxReplicas: 4\n`,
    };
    const found = await units('shop/Chart.yaml', chart('shop'), files);
    expect(Object.keys(found).sort()).toEqual(['cart', 'frontend']);
    expect(found['frontend']).toMatchObject({ images: ['shop/frontend:v1'], published: ['80'], aliases: ['frontend-external'], autoscaling: false, location: { file: 'shop/templates/frontend.yaml', line: 2 } });
    expect(found['cart']).toMatchObject({ published: [], aliases: ['cart-api'], autoscaling: true });
  });

  it('a chart whose workload a library chart renders is a unit from its values; without an image in values it says nothing', async () => {
    const files = {
      'charts/api/values.yaml': 'image:\n  repository: shop/api\n  tag: "7"\nreplicaCount: 2\nreadinessProbe:\n  httpGet:\n    path: /ready\nservice:\n  type: NodePort\n  nodePort: 30080\nenv:\n  ORDERS_URL: http://orders\n',
      'charts/api/templates/deployment.yaml': '{{- include "common.deployment" . }}\n',
      'charts/api/templates/service.yaml': '{{ include "common.service" . }}\n',
    };
    const api = chart('api', 'dependencies:\n  - name: common\n    version: 1.x.x\n    repository: oci://registry.example.com/charts\n');
    const unit = (await units('charts/api/Chart.yaml', api, files))['api'];
    expect(unit).toMatchObject({ images: ['shop/api:7'], replicas: 2, autoscaling: false, published: ['30080'], location: { file: 'charts/api/templates/deployment.yaml', line: 1 } });
    expect(unit?.health.map((h) => h.what)).toEqual(['readinessProbe (values)']);
    expect(unit?.environment.map((s) => [s.key, s.value])).toEqual([['ORDERS_URL', 'http://orders']]);
    expect(await run('charts/api/Chart.yaml', api, { ...files, 'charts/api/values.yaml': 'replicaCount: 2\n' })).toBeNull();
    expect(await run('charts/api/Chart.yaml', api, { ...files, 'charts/api/templates/deployment.yaml': '{{ include "common.configmap" . }}\n' })).toBeNull();
  });

  it('ranges nested over long lists stop at a budget instead of running on; the template is then not read', async () => {
    const list = `items: [${Array.from({ length: 300 }, (_, k) => k).join(', ')}]\nimage: shop/x:1\n`;
    const files = {
      'x/values.yaml': list,
      'x/templates/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n        - name: x\n          image: {{ .Values.image }}\n{{- range $.Values.items }}{{- range $.Values.items }}{{- range $.Values.items }}{{- end }}{{- end }}{{- end }}\n',
    };
    expect(await run('x/Chart.yaml', chart('x'), files)).toBeNull();
    files['x/values.yaml'] = list.replace(/items: \[.*\]/, 'items: [1, 2]');
    expect((await run('x/Chart.yaml', chart('x'), files))?.deployments?.map((d) => d.name)).toEqual(['x']);
  });
});
