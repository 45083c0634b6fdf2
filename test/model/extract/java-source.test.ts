import { describe, expect, it } from 'vitest';
import javaSource from '../../../src/model/extract/java-source.js';
import { runExtractor } from '../../helpers/extract.js';

const SRC = 'orders/src/main/java/com/acme/orders';
const run = (name: string, text: string, files: Record<string, string> = {}) => runExtractor(javaSource, `${SRC}/${name}`, text, files);
const calls = async (name: string, text: string, files: Record<string, string> = {}) =>
  ((await run(name, text, files))?.calls ?? []).map((c) => ({ client: c.client, method: c.method, url: c.url, configKey: c.configKey ?? null, envVar: c.envVar, serviceId: c.serviceId ?? null, breaker: c.breaker, inLoop: c.inLoop, line: c.location.line }));

describe('java-source: RestTemplate, RestClient, WebClient', () => {
  it('a RestTemplate call with a @Value base URL, per item in a loop, under @CircuitBreaker; a commented-out call is no call', async () => {
    const text = `package com.acme.orders;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.client.RestTemplate;

class StockClient {
  @Value("\${stock.url}")
  private String stockUrl;
  private final RestTemplate rest = new RestTemplate();

  @CircuitBreaker(name = "stock")
  int reserve(List<String> ids) {
    for (String id : ids) {
      rest.postForObject(stockUrl + "/reservations/" + id, null, Void.class);
    }
    // rest.getForObject("http://billing/invoices", String.class);
    return rest.getForObject(stockUrl + "/count", Integer.class);
  }

  @Retry(name = "stock")
  String plain() {
    return rest.exchange("http://stock:8080/items", HttpMethod.GET, null, String.class).getBody();
  }
}
`;
    expect(await calls('StockClient.java', text)).toEqual([
      { client: 'RestTemplate', method: 'POST', url: '${stock.url}/reservations/{id}', configKey: 'stock.url', envVar: null, serviceId: null, breaker: true, inLoop: true, line: 14 },
      { client: 'RestTemplate', method: 'GET', url: '${stock.url}/count', configKey: 'stock.url', envVar: null, serviceId: null, breaker: true, inLoop: false, line: 17 },
      { client: 'RestTemplate', method: 'GET', url: 'http://stock:8080/items', configKey: null, envVar: null, serviceId: null, breaker: false, inLoop: false, line: 22 },
    ]);
  });

  it('RestClient with a UriComponentsBuilder over a @ConfigurationProperties record: in this file, in its own file of the same source root, or out of reach', async () => {
    const client = (config: string) => `package com.acme.orders;

import ${config};
import org.springframework.web.client.RestClient;

class CartClient {
  private final RestClient restClient;
  private final ServiceUrls urls;

  CartClient(RestClient restClient, ServiceUrls urls) { this.restClient = restClient; this.urls = urls; }

  Cart cart(String id) {
    final URI url = UriComponentsBuilder.fromUriString(urls.cart()).path("/carts/{id}").queryParam("x", 1).build().toUri();
    return restClient.get().uri(url).retrieve().body(Cart.class);
  }
}
`;
    const properties = 'package com.acme.orders.config;\n\n@ConfigurationProperties(prefix = "acme.services")\npublic record ServiceUrls(String cart) {}\n';
    const inRoot = await calls('CartClient.java', client('com.acme.orders.config.ServiceUrls'), { 'orders/src/main/java/com/acme/orders/config/ServiceUrls.java': properties });
    expect(inRoot).toEqual([{ client: 'RestClient', method: 'GET', url: '${acme.services.cart}/carts/{id}', configKey: 'acme.services.cart', envVar: null, serviceId: null, breaker: false, inLoop: false, line: 14 }]);
    const elsewhere = await calls('CartClient.java', client('com.acme.common.ServiceUrls'));
    expect(elsewhere[0]).toMatchObject({ url: '${com.acme.common.ServiceUrls#cart}/carts/{id}', configKey: 'com.acme.common.ServiceUrls#cart' });
    const facts = await runExtractor(javaSource, 'orders/src/main/java/com/acme/orders/config/ServiceUrls.java', properties);
    expect(facts?.configBindings).toEqual([{ className: 'com.acme.orders.config.ServiceUrls', prefix: 'acme.services', location: { file: 'orders/src/main/java/com/acme/orders/config/ServiceUrls.java', line: 3 } }]);
  });

  it('a WebClient built with a base URL: per item in a stream lambda, not in an Optional.map; a getter of a properties class in the same file', async () => {
    const text = `package com.acme.orders;

import org.springframework.web.reactive.function.client.WebClient;

@ConfigurationProperties("acme.pricing")
class PricingProperties { private String baseUrl; public String getBaseUrl() { return baseUrl; } }

class PriceClient {
  private final WebClient client;

  PriceClient(WebClient.Builder builder, PricingProperties properties) {
    this.client = builder.baseUrl(properties.getBaseUrl()).build();
  }

  Flux<Price> prices(List<String> ids) {
    return Flux.fromIterable(ids).flatMap(id -> client.get().uri("/prices/{id}", id).retrieve().bodyToMono(Price.class));
  }

  Optional<Price> one(Optional<String> id) {
    return id.map(i -> client.post().uri(b -> b.path("/prices").build()).retrieve().bodyToMono(Price.class).block());
  }
}
`;
    expect(await calls('PriceClient.java', text)).toEqual([
      { client: 'WebClient', method: 'GET', url: '${acme.pricing.base-url}/prices/{id}', configKey: 'acme.pricing.base-url', envVar: null, serviceId: null, breaker: false, inLoop: true, line: 16 },
      { client: 'WebClient', method: 'POST', url: '${acme.pricing.base-url}/prices', configKey: 'acme.pricing.base-url', envVar: null, serviceId: null, breaker: false, inLoop: false, line: 20 },
    ]);
  });

  it('a call inside a breaker run/decorate lambda is protected; an Optional.get() is no call', async () => {
    const text = `package com.acme.orders;

import org.springframework.web.client.RestTemplate;

class Guarded {
  private final RestTemplate rest;
  private final CircuitBreakerFactory circuitBreakerFactory;
  private final CircuitBreaker breaker;

  String a() {
    return circuitBreakerFactory.create("a").run(() -> rest.getForObject("http://a/x", String.class), t -> "fallback");
  }

  String b() {
    Supplier<String> s = CircuitBreaker.decorateSupplier(breaker, () -> rest.getForObject("http://b/x", String.class));
    return s.get() + Optional.of("x").get();
  }
}
`;
    expect((await calls('Guarded.java', text)).map((c) => [c.url, c.breaker])).toEqual([
      ['http://a/x', true],
      ['http://b/x', true],
    ]);
    expect((await run('Guarded.java', text))?.breakers?.map((e) => e.what)).toEqual(['CircuitBreaker.decorateSupplier']);
  });

  it('the JDK HttpClient with an environment variable, OkHttp, Apache', async () => {
    const text = `package com.acme.orders;

import java.net.http.HttpRequest;
import okhttp3.Request;
import org.apache.http.client.methods.HttpGet;

class Clients {
  void calls() {
    HttpRequest.newBuilder(URI.create(System.getenv("BILLING_URL") + "/bills")).POST(body).build();
    HttpRequest.newBuilder().uri(URI.create(System.getenv("BILLING_URL"))).GET().build();
    new Request.Builder().url("http://ship:8080/parcels").build();
    new HttpGet("http://legacy/api");
  }
}
`;
    expect((await calls('Clients.java', text)).map((c) => [c.client, c.method, c.url, c.envVar])).toEqual([
      ['HttpClient', 'POST', '${BILLING_URL}/bills', 'BILLING_URL'],
      ['HttpClient', 'GET', 'env:BILLING_URL', 'BILLING_URL'],
      ['OkHttp', 'GET', 'http://ship:8080/parcels', null],
      ['Apache HttpClient', 'GET', 'http://legacy/api', null],
    ]);
  });
});

describe('java-source: declarative clients and gRPC', () => {
  it('each method of a @FeignClient is a call to its service id; the url attribute is the address; a fallback is conditional breaker evidence', async () => {
    const text = `package com.acme.orders;

@FeignClient(name = "payments", fallback = PaymentsFallback.class)
@RequestMapping("/api")
public interface PaymentsClient {
  @PostMapping("/payments")
  Payment pay(Payment p);

  @RequestMapping(method = RequestMethod.GET, value = "/payments/{id}")
  Payment get(@PathVariable String id);
}

@FeignClient(name = "rates", url = "\${rates.url}")
interface RatesClient {
  @GetMapping("/latest")
  Rates latest();
}

interface NotAClient {
  @GetMapping("/x")
  String x();
}
`;
    expect((await calls('PaymentsClient.java', text)).map((c) => [c.client, c.method, c.url, c.configKey, c.serviceId, c.breaker, c.line])).toEqual([
      ['Feign', 'POST', null, null, 'payments', false, 6],
      ['Feign', 'GET', null, null, 'payments', false, 9],
      ['Feign', 'GET', '${rates.url}/latest', 'rates.url', 'rates', false, 15],
    ]);
    const breakers = (await run('PaymentsClient.java', text))?.breakers ?? [];
    expect(breakers.map((e) => [e.what, e.location.line])).toEqual([['@FeignClient fallback com.acme.orders.PaymentsFallback (active only when feign.circuitbreaker.enabled / feign.hystrix.enabled is true)', 3]]);
  });

  it('gRPC stubs on a channel built from host and port, and @GrpcClient fields', async () => {
    const text = `package com.acme.orders;

import io.grpc.ManagedChannelBuilder;

class Grpcs {
  @Value("\${inventory.host}") String host;
  @GrpcClient("pricing") PricingGrpc.PricingBlockingStub pricing;

  void init() {
    ManagedChannel channel = ManagedChannelBuilder.forAddress(host, 9090).usePlaintext().build();
    InventoryGrpc.InventoryBlockingStub stub = InventoryGrpc.newBlockingStub(channel);
  }
}
`;
    expect((await calls('Grpcs.java', text)).map((c) => [c.client, c.url, c.configKey, c.serviceId, c.line])).toEqual([
      ['grpc', null, 'grpc.client.pricing.address', 'pricing', 7],
      ['grpc', '${inventory.host}:9090', 'inventory.host', null, 11],
    ]);
  });
});

describe('java-source: messaging', () => {
  it('Kafka and RabbitMQ listeners and senders with their channels', async () => {
    const text = `package com.acme.orders;

class Messaging {
  private final KafkaTemplate<String, String> kafkaTemplate;
  private final RabbitTemplate rabbitTemplate;

  @KafkaListener(topics = {"orders", "\${topics.refunds}"}, groupId = "billing")
  void onOrder(String m) {}

  @RabbitListener(queues = "emails")
  void onEmail(String m) {}

  void publish() {
    kafkaTemplate.send("invoices", "x");
    rabbitTemplate.convertAndSend("notifications", "email.sent", "x");
  }
}
`;
    const facts = await run('Messaging.java', text);
    expect(facts?.messaging?.map((m) => [m.broker, m.role, m.channel, m.brokerUnknown, m.location.line])).toEqual([
      ['kafka', 'consumer', 'orders', undefined, 7],
      ['kafka', 'consumer', '${topics.refunds}', undefined, 7],
      ['rabbitmq', 'consumer', 'emails', undefined, 10],
      ['kafka', 'producer', 'invoices', undefined, 14],
      ['rabbitmq', 'producer', 'notifications', undefined, 15],
    ]);
  });

  it('Eventuate and Stream endpoints do not name the broker; an unrelated send is no producer', async () => {
    const text = `package com.acme.orders;

import io.eventuate.tram.events.publisher.DomainEventPublisher;

class Events {
  private DomainEventPublisher domainEventPublisher;
  private StreamBridge streamBridge;
  private Mailer mailer;

  void go(Order order) {
    domainEventPublisher.publish(Order.class, order.getId(), events);
    streamBridge.send("orders-out-0", order);
    mailer.send("to@example.com", "hello");
  }

  DomainEventHandlers handlers() {
    return DomainEventHandlersBuilder.forAggregateType("com.acme.kitchen.Ticket").onEvent(TicketAccepted.class, this::accepted).build();
  }
}
`;
    const facts = await run('Events.java', text);
    expect(facts?.messaging?.map((m) => [m.role, m.channel, m.brokerUnknown])).toEqual([
      ['producer', 'com.acme.orders.Order', true],
      ['producer', 'orders-out-0', true],
      ['consumer', 'com.acme.kitchen.Ticket', true],
    ]);
  });
});

describe('java-source: gateways, health, tracing, entry points, platform, local state', () => {
  it('Spring Cloud Gateway routes in the Java DSL; their predicates are not HTTP calls', async () => {
    const text = `package com.acme.gateway;

import org.springframework.web.reactive.function.client.WebClient;

class Routes {
  @Bean
  RouteLocator routes(RouteLocatorBuilder builder, Destinations destinations) {
    return builder.routes()
      .route(r -> r.path("/orders/**").and().method("POST").uri("lb://orders"))
      .route("pay", r -> r.path("/pay/**").filters(f -> f.circuitBreaker(c -> c.setName("pay"))).uri("http://payments:8080"))
      .route(r -> r.path("/items/**").and().method(HttpMethod.GET).uri(destinations.getItemsUrl()))
      .build();
  }
}
`;
    const facts = await runExtractor(javaSource, 'gateway/src/main/java/com/acme/gateway/Routes.java', text);
    expect(facts?.calls).toBeUndefined();
    expect(facts?.gateways?.[0]?.routes.map((r) => [r.path, r.upstream, r.breaker, r.location.line])).toEqual([
      ['/orders/**', 'lb://orders', false, 9],
      ['/pay/**', 'http://payments:8080', true, 10],
      ['/items/**', '${com.acme.gateway.Destinations#items-url}', false, 11],
    ]);
  });

  it('@EnableZuulProxy is a gateway whose serviceId routes run in Hystrix; platform servers and entry points', async () => {
    const zuul = await run('Gateway.java', '@SpringBootApplication\n@EnableZuulProxy\npublic class Gateway {\n  public static void main(String[] args) { SpringApplication.run(Gateway.class, args); }\n}\n');
    expect(zuul?.gateways?.map((g) => g.implementation)).toEqual(['zuul']);
    expect(zuul?.breakers?.[0]?.what).toContain('Hystrix');
    expect(zuul?.entryPoints?.map((e) => [e.what, e.location.line])).toEqual([
      ['@SpringBootApplication Gateway', 1],
      ['Gateway.main', 4],
    ]);
    const registry = await run('Registry.java', '@EnableEurekaServer\n@SpringBootApplication\nclass Registry {}\n');
    expect(registry?.platform?.map((e) => e.what)).toEqual(['@EnableEurekaServer Registry']);
    const notMain = await run('Tool.java', 'class Tool {\n  void main(String[] args) {}\n  static void helper() { String health = "ok"; }\n}\n');
    expect(notMain?.entryPoints).toBeUndefined();
  });

  it('health indicators and health routes; a route that is not health says nothing', async () => {
    const text = `package com.acme.orders;

class DbHealth implements HealthIndicator {
  public Health health() { return Health.up().build(); }
}

@RestController
class Status {
  @GetMapping("/healthz")
  String ok() { return "ok"; }

  @GetMapping("/orders/health-report")
  String report() { return "x"; }
}
`;
    expect((await run('Status.java', text))?.health?.map((e) => [e.what, e.location.line])).toEqual([
      ['health indicator DbHealth', 3],
      ['GetMapping("/healthz")', 9],
    ]);
  });

  it('tracing set-up and export from what the file imports', async () => {
    const text = 'package com.acme.orders;\n\nimport io.opentelemetry.sdk.trace.SdkTracerProvider;\nimport io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;\n\nclass Tracing {}\n';
    const facts = await run('Tracing.java', text);
    expect(facts?.tracing?.map((e) => e.location.line)).toEqual([3]);
    expect(facts?.traceExport?.map((e) => e.location.line)).toEqual([4]);
    expect((await run('Other.java', 'import java.util.Map;\n@SpringBootApplication class Other {}\n'))?.tracing).toBeUndefined();
  });

  it('sessions and in-memory stores kept in the process', async () => {
    const text = `package com.acme.orders;

@Repository
class CartStore {
  private final Map<String, Cart> carts = new ConcurrentHashMap<>();
}

@RestController
class Login {
  @PostMapping("/login")
  void login(HttpSession session) {}
}
`;
    expect((await run('CartStore.java', text))?.localState?.map((s) => [s.kind, s.location.line])).toEqual([
      ['in-memory-store', 5],
      ['memory-session', 11],
    ]);
  });

  it('skips test sources, test classes and files without any needle', async () => {
    const text = 'class X { RestTemplate r; void a() { r.getForObject("http://a", String.class); } }\n';
    expect(await runExtractor(javaSource, 'orders/src/test/java/X.java', text)).toBeNull();
    expect(await runExtractor(javaSource, 'orders/src/main/java/OrderServiceTest.java', text)).toBeNull();
    expect(await run('Plain.java', 'class Plain { int x; }\n')).toBeNull();
    expect((await run('X.java', text))?.language).toBe('java');
  });
});

describe('java-source: class graph for per-item calls through other classes', () => {
  it('records the method holding each call, typed invocations (field, constructor-injected, Lombok final, local, this) and which run per item', async () => {
    const service = `package com.acme.orders;

@Service
@RequiredArgsConstructor
public class ProductService implements Catalog {
  private final MediaService mediaService;
  private final PriceClient prices;
  @Autowired
  private StockService stock;

  public List<Vm> list(List<Product> products) {
    List<Vm> out = new ArrayList<>();
    for (Product p : products) {
      out.add(new Vm(mediaService.getMedia(p.getImageId())));
    }
    var names = products.stream().map(p -> prices.priceOf(p.getId())).toList();
    products.forEach(stock::levelOf);
    MediaService local = mediaService;
    local.getMedia(1L);
    this.helper();
    return out;
  }

  private void helper() { mediaService.getMedia(2L); }
}
`;
    const graph = (await run('ProductService.java', service))?.classGraph;
    expect(graph?.types).toEqual([{ name: 'ProductService', supertypes: ['Catalog'] }]);
    expect(graph?.callers).toEqual([]);
    expect(graph?.invocations.filter((i) => i.calleeType !== 'List' && i.calleeType !== 'Product')).toEqual([
      { type: 'ProductService', method: 'list', calleeType: 'MediaService', callee: 'getMedia', inLoop: true, line: 14 },
      { type: 'ProductService', method: 'list', calleeType: 'PriceClient', callee: 'priceOf', inLoop: true, line: 16 },
      { type: 'ProductService', method: 'list', calleeType: 'StockService', callee: 'levelOf', inLoop: true, line: 17 },
      { type: 'ProductService', method: 'list', calleeType: 'MediaService', callee: 'getMedia', inLoop: false, line: 19 },
      { type: 'ProductService', method: 'list', calleeType: 'ProductService', callee: 'helper', inLoop: false, line: 20 },
      { type: 'ProductService', method: 'helper', calleeType: 'MediaService', callee: 'getMedia', inLoop: false, line: 24 },
    ]);
  });

  it('the method holding a RestClient call, and a Feign interface method as a call of its own; a receiver of unknown type is no edge', async () => {
    const media = `package com.acme.orders;

import org.springframework.web.client.RestClient;

public class MediaServiceImpl extends BaseClient implements MediaService {
  private final RestClient restClient;
  MediaServiceImpl(RestClient restClient) { this.restClient = restClient; }

  public MediaVm getMedia(Long id) {
    return restClient.get().uri("http://media/medias/" + id).retrieve().body(MediaVm.class);
  }

  void unknown(List<Long> ids) { for (Long id : ids) { inherited.fetch(id); } }
}
`;
    const graph = (await run('MediaServiceImpl.java', media))?.classGraph;
    expect(graph?.types).toEqual([{ name: 'MediaServiceImpl', supertypes: ['BaseClient', 'MediaService'] }]);
    expect(graph?.callers).toEqual([{ type: 'MediaServiceImpl', method: 'getMedia', line: 10 }]);
    expect(graph?.invocations.some((i) => i.callee === 'fetch')).toBe(false);

    const feign = `package com.acme.orders;

@FeignClient(name = "media")
public interface MediaClient extends Remote {
  @GetMapping("/medias/{id}")
  MediaVm getMedia(@PathVariable Long id);
}
`;
    const declared = (await run('MediaClient.java', feign))?.classGraph;
    expect(declared).toEqual({ types: [{ name: 'MediaClient', supertypes: ['Remote'] }], callers: [{ type: 'MediaClient', method: 'getMedia', line: 5 }], invocations: [] });
  });

  it('a file with no call and no typed invocation has no class graph', async () => {
    const text = `package com.acme.orders;\n\nclass Util { static int twice(int x) { for (int i = 0; i < 2; i++) { x += x; } return x; } }\n`;
    const found = await run('Util.java', text);
    expect(found).not.toBeNull();
    expect(found?.classGraph).toBeUndefined();
  });
});
