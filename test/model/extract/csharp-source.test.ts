import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/csharp-source.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (text: string, path = 'src/Orders/Services/Client.cs') => runExtractor(extractor, path, text);
const calls = async (text: string) => (await run(text))?.calls ?? [];

describe('csharp-source: HTTP calls', () => {
  it('an HttpClient request, with its method, URL, loop and typed-client class', async () => {
    const found = await calls(`
public class CatalogService
{
    private readonly HttpClient _http;
    private readonly string _baseUrl = "http://catalog-api/api/v1";
    public CatalogService(HttpClient http) { _http = http; }
    public async Task Load(int[] ids)
    {
        foreach (var id in ids)
        {
            var r = await _http.GetAsync($"{_baseUrl}/items/{id}");
        }
        await _http.PostAsJsonAsync("/orders", new { });
        // await _http.DeleteAsync("/commented-out");
    }
}`);
    expect(found.map((c) => [c.kind, c.client, c.method, c.url, c.inLoop, c.breaker, c.httpClient, c.location.line])).toEqual([
      ['http', 'HttpClient', 'GET', 'http://catalog-api/api/v1/items/{id}', true, false, 'CatalogService', 11],
      ['http', 'HttpClient', 'POST', '/orders', false, false, 'CatalogService', 13],
    ]);
  });

  it('GetAsync on something that is not an HttpClient is no call', async () => {
    expect(await calls(`
class OrderQueries {
    private readonly IOrderRepository _repository;
    public Task<Order> Get(int id) => _repository.GetAsync(id);
}`)).toEqual([]);
  });

  it('addresses from configuration, options, base addresses and environment variables', async () => {
    const found = await calls(`
class Clients {
    private readonly HttpClient _client;
    public Clients(HttpClient client, IConfiguration configuration, IOptions<UrlsConfig> urls)
    {
        _client = client;
        _client.BaseAddress = new Uri(configuration["urls:basket"]);
        var a = _client.GetStringAsync("/api/v1/basket");
        var b = new HttpClient().GetAsync(configuration.GetSection("Services").GetValue<string>("Ordering") + "/orders");
        var c = new HttpClient().GetAsync($"http://{Environment.GetEnvironmentVariable("PAYMENTS_HOST")}/pay");
        var d = new HttpClient().GetAsync(urls.Value.Marketing);
    }
}
static class Setup {
    static void Configure(IServiceCollection services, IConfiguration configuration)
        => services.Configure<UrlsConfig>(configuration.GetSection("urls"));
}`);
    expect(found.map((c) => [c.url, c.configKey, c.envVar])).toEqual([
      ['${urls.basket}/api/v1/basket', 'urls.basket', null],
      ['${Services.Ordering}/orders', 'Services.Ordering', null],
      ['http://env:PAYMENTS_HOST/pay', null, 'PAYMENTS_HOST'],
      ['${urls.Marketing}', 'urls.Marketing', null],
    ]);
  });

  it('SendAsync takes method and URL from the request message', async () => {
    const [call] = await calls(`
class Sender {
    async Task Send(IHttpClientFactory factory) {
        var client = factory.CreateClient("GrantClient");
        var request = new HttpRequestMessage(HttpMethod.Options, "http://hooks/check");
        await client.SendAsync(request);
    }
}`);
    expect(call).toMatchObject({ method: 'OPTIONS', url: 'http://hooks/check', httpClient: 'GrantClient' });
  });
});

describe('csharp-source: client registrations and breakers', () => {
  it('a registration with a circuit-breaker policy (followed into its factory method) is a protected call with its base address', async () => {
    const found = await calls(`
static class Startup {
    static void Add(IServiceCollection services, IConfiguration config) {
        services.AddHttpClient<IBasketService, BasketService>(c => c.BaseAddress = new Uri(config["urls:basket"]))
            .AddPolicyHandler(GetRetryPolicy())
            .AddPolicyHandler(GetCircuitBreakerPolicy());
        services.AddHttpClient<IOrderingService, OrderingService>()
            .AddPolicyHandler(GetRetryPolicy());
        services.AddHttpClient("payments").AddStandardResilienceHandler();
        services.AddHttpClient("stock").AddResilienceHandler("stock", b => b.AddRetry(new()).AddCircuitBreaker(new()));
        services.AddHttpClient("audit").AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, _ => TimeSpan.FromSeconds(1)));
    }
    static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy()
        => HttpPolicyExtensions.HandleTransientHttpError().WaitAndRetryAsync(6, n => TimeSpan.FromSeconds(n));
    static IAsyncPolicy<HttpResponseMessage> GetCircuitBreakerPolicy()
        => HttpPolicyExtensions.HandleTransientHttpError().CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
}`);
    expect(found.map((c) => [c.httpClient, c.breaker, c.url, c.configKey])).toEqual([
      ['BasketService', true, '${urls.basket}', 'urls.basket'],
      ['OrderingService', false, null, null],
      ['payments', true, null, null],
      ['stock', true, null, null],
      ['audit', false, null, null],
    ]);
  });

  it('a call run through a breaker policy is protected; through a retry policy it is not', async () => {
    const found = await calls(`
class Gateway {
    private readonly HttpClient _httpClient;
    private readonly AsyncCircuitBreakerPolicy _breaker = Policy.Handle<HttpRequestException>().CircuitBreakerAsync(2, TimeSpan.FromMinutes(1));
    private readonly AsyncRetryPolicy _retry = Policy.Handle<HttpRequestException>().RetryAsync(5);
    async Task A() => await _breaker.ExecuteAsync(() => _httpClient.GetAsync("http://a/x"));
    async Task B() => await _retry.ExecuteAsync(() => _httpClient.GetAsync("http://b/x"));
}`);
    expect(found.map((c) => [c.url, c.breaker])).toEqual([
      ['http://a/x', true],
      ['http://b/x', false],
    ]);
    const facts = await run(`class P { object Retry() => Policy.Handle<Exception>().WaitAndRetryAsync(3, _ => TimeSpan.Zero); }`);
    expect(facts?.breakers).toBeUndefined();
  });

  it('Refit: RestService.For with a base address, interface methods with verbs', async () => {
    const found = await calls(`
public interface ICustomersApi {
    [Get("/customers/{id}")] Task<Customer> GetCustomer(string id);
    [Post("/customers")] Task Register(Customer c);
    Task NotAnEndpoint();
}
public class CustomersApi {
    public CustomersApi(IConfiguration config, HttpClient httpClient) {
        string host = config.GetSection("ApiLocations").GetValue<string>("Customers");
        httpClient.BaseAddress = new Uri($"http://{host}/api");
        _api = RestService.For<ICustomersApi>(httpClient);
    }
}`);
    expect(found.map((c) => [c.client, c.method, c.url, c.configKey, c.httpClient])).toEqual([
      ['Refit', null, 'http://${ApiLocations.Customers}/api', 'ApiLocations.Customers', 'ICustomersApi'],
      ['Refit', 'GET', '/customers/{id}', null, 'ICustomersApi'],
      ['Refit', 'POST', '/customers', null, 'ICustomersApi'],
    ]);
  });

  it('gRPC: AddGrpcClient with its address, calls on the generated stub, a stub over GrpcChannel.ForAddress', async () => {
    const found = await calls(`
static class Setup {
    static void Add(IServiceCollection services, IConfiguration configuration) {
        services.AddGrpcClient<Basket.BasketClient>(o => o.Address = new Uri(configuration["urls:grpcBasket"]));
    }
}
class BasketService {
    private readonly Basket.BasketClient _client;
    public BasketService(Basket.BasketClient client) { _client = client; }
    public async Task Get(string id) => await _client.GetBasketByIdAsync(new BasketRequest { Id = id });
    public async Task Direct() {
        var channel = GrpcChannel.ForAddress("http://catalog-api:81");
        var catalog = new Catalog.CatalogClient(channel);
        _logger.LogInformation("not a call");
    }
}`);
    expect(found.map((c) => [c.kind, c.url, c.configKey, c.httpClient])).toEqual([
      ['grpc', 'http://catalog-api:81', null, 'CatalogClient'],
      ['grpc', '${urls.grpcBasket}', 'urls.grpcBasket', 'BasketClient'],
      ['grpc', null, null, 'BasketClient'],
    ]);
  });
});

describe('csharp-source: messaging', () => {
  it('RabbitMQ.Client publishes to an exchange (or the routing key on the default one) and consumes a queue', async () => {
    const facts = await run(`
class Bus {
    const string Exchange = "shop_events";
    void Publish(IModel channel, byte[] body) {
        channel.BasicPublish(exchange: Exchange, routingKey: "OrderStarted", basicProperties: null, body: body);
        channel.BasicPublish("", "orders-queue", null, body);
        channel.BasicConsume(queue: "basket", autoAck: false, consumer: consumer);
    }
}`);
    expect(facts?.messaging?.map((m) => [m.broker, m.role, m.channel])).toEqual([
      ['rabbitmq', 'producer', 'shop_events'],
      ['rabbitmq', 'producer', 'orders-queue'],
      ['rabbitmq', 'consumer', 'basket'],
    ]);
  });

  it('Kafka producers and consumers by topic; Produce on something else is nothing', async () => {
    const facts = await run(`
class K {
    void Run(IProducer<string, string> producer, IConsumer<string, string> consumer, Factory factory) {
        producer.Produce("orders", new Message<string, string>());
        consumer.Subscribe(new[] { "payments", "refunds" });
        factory.Produce("not-a-topic");
    }
}`);
    expect(facts?.messaging?.map((m) => [m.broker, m.role, m.channel])).toEqual([
      ['kafka', 'producer', 'orders'],
      ['kafka', 'consumer', 'payments'],
      ['kafka', 'consumer', 'refunds'],
    ]);
  });

  it('bus handlers and publishes name their message types; the broker is the one the file configures, else left to the join', async () => {
    const facts = await run(`
class OrderStartedHandler : IIntegrationEventHandler<OrderStartedIntegrationEvent> { }
class Checkout {
    void Go(IEventBus eventBus, IMediator mediator) {
        var evt = new UserCheckoutAcceptedIntegrationEvent(1);
        eventBus.Publish(evt);
        eventBus.Subscribe<ProductPriceChangedIntegrationEvent, ProductPriceChangedHandler>();
        mediator.Publish(new DomainEvent());
    }
}`);
    expect(facts?.messaging).toBeUndefined();
    expect(facts?.busMessaging?.map((m) => [m.role, m.channel, m.location.line])).toEqual([
      ['producer', 'UserCheckoutAcceptedIntegrationEvent', 6],
      ['consumer', 'ProductPriceChangedIntegrationEvent', 7],
      ['consumer', 'OrderStartedIntegrationEvent', 2],
    ]);
    const massTransit = await run(`
class SubmitOrderConsumer : IConsumer<SubmitOrder> { }
static class Setup { static void Add(IServiceCollection s) => s.AddMassTransit(x => x.UsingRabbitMq((ctx, cfg) => { })); }`);
    expect(massTransit?.messaging?.map((m) => [m.broker, m.role, m.channel])).toEqual([['rabbitmq', 'consumer', 'SubmitOrder']]);
  });
});

describe('csharp-source: health, tracing, gateways, entry points, local state', () => {
  it('health endpoints; AddHealthChecks alone maps none', async () => {
    const facts = await run(`
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHealthChecks();
var app = builder.Build();
app.MapHealthChecks("/hc");
app.MapGet("/healthz", () => "ok");
app.MapGet("/orders", () => "no");
app.Run();
class StatusController { [HttpGet("liveness")] public IActionResult Live() => Ok(); }`, 'src/Orders/Program.cs');
    expect(facts?.health?.map((h) => [h.what, h.location.line])).toEqual([
      ['MapHealthChecks("/hc")', 5],
      ['MapGet("/healthz", …)', 6],
      ['[HttpGet("liveness")]', 9],
    ]);
    expect(facts?.entryPoints?.map((e) => e.what)).toEqual(['WebApplication.CreateBuilder', 'top-level statements']);
    expect((await run(`class S { void C(IServiceCollection s) => s.AddHealthChecks(); }`))?.health).toBeUndefined();
  });

  it('tracing with an exporter exports; a metrics exporter and Application Insights alone do not', async () => {
    const otel = await run(`
static class Telemetry { static void Add(IServiceCollection services) {
    services.AddOpenTelemetry()
        .WithTracing(t => t.AddAspNetCoreInstrumentation().AddOtlpExporter())
        .WithMetrics(m => m.AddPrometheusExporter().AddOtlpExporter());
} }`);
    expect(otel?.tracing?.map((t) => t.location.line)).toEqual([4]);
    expect(otel?.traceExport?.map((t) => t.location.line)).toEqual([4]);
    const insights = await run(`class S { void C(IServiceCollection s, IConfiguration c) => s.AddApplicationInsightsTelemetry(c); }`);
    expect(insights?.tracing?.map((t) => t.what)).toEqual(['AddApplicationInsightsTelemetry(…)']);
    expect(insights?.traceExport).toBeUndefined();
  });

  it('YARP and Ocelot set up in code are gateways', async () => {
    const facts = await run(`
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
builder.Services.AddOcelot();`, 'src/Gateway/Program.cs');
    expect(facts?.gateways?.map((g) => [g.implementation, g.location.line])).toEqual([
      ['yarp', 3],
      ['ocelot', 4],
    ]);
  });

  it('static Main is an entry point; a library class is not', async () => {
    expect((await run(`class Program { public static async Task Main(string[] args) => await Host.CreateDefaultBuilder(args).Build().RunAsync(); }`))?.entryPoints?.map((e) => e.what)).toEqual([
      'Host.CreateDefaultBuilder',
      'static Main',
    ]);
    expect((await run(`class Helper { public HttpClient Client { get; } void Main() { } }`))?.entryPoints).toBeUndefined();
  });

  it('in-memory sessions and stores; a distributed cache or an in-memory registry are not local state', async () => {
    const local = await run(`class S { void C(IServiceCollection s) { s.AddDistributedMemoryCache(); s.AddSession(); s.AddSingleton<IHooksRepository, InMemoryHooksRepository>(); } }`);
    expect(local?.localState?.map((l) => l.kind)).toEqual(['memory-session', 'in-memory-store']);
    const shared = await run(`class S { void C(IServiceCollection s) { s.AddStackExchangeRedisCache(o => { }); s.AddSession(); s.AddSingleton<ISubs, InMemorySubscriptionsManager>(); } }`);
    expect(shared?.localState).toBeUndefined();
  });

  it('reads no test projects and no generated files', async () => {
    const text = 'class T { void M(HttpClient http) => http.GetAsync("http://x"); }';
    expect(await run(text, 'src/Orders.UnitTests/ClientTests.cs')).toBeNull();
    expect(await run(text, 'tests/Orders/ClientTests.cs')).toBeNull();
    expect(await run(text, 'src/Orders/Protos/Basket.g.cs')).toBeNull();
    expect(await run(text, 'src/Orders/Client.cs')).not.toBeNull();
  });
});

describe('csharp-source: class graph for per-item calls through other classes', () => {
  it('a typed client method holding a call; a controller invoking it per item through a primary-constructor interface, and once outside a loop', async () => {
    const client = await run(`
public class BasketService(HttpClient httpClient) : IBasketService
{
    public async Task<Basket> GetBasketAsync(string id)
    {
        return await httpClient.GetFromJsonAsync<Basket>($"/api/v1/basket/{id}");
    }
}`);
    expect(client?.classGraph?.types).toEqual([{ name: 'BasketService', supertypes: ['IBasketService'] }]);
    expect(client?.classGraph?.callers).toEqual([{ type: 'BasketService', method: 'GetBasketAsync', line: 6 }]);

    const controller = await run(
      `
public class OrdersController : ControllerBase
{
    private readonly IBasketService _basket;
    public OrdersController(IBasketService basket) { _basket = basket; }
    public async Task<IActionResult> Summary(string[] ids)
    {
        foreach (var id in ids) { await _basket.GetBasketAsync(id); }
        var all = ids.Select(id => this._basket.GetBasketAsync(id)).ToList();
        await _basket.GetBasketAsync(ids[0]);
        return Ok(all);
    }
}`,
      'src/Ordering/Controllers/OrdersController.cs',
    );
    expect(controller?.classGraph?.invocations.filter((i) => i.calleeType === 'IBasketService')).toEqual([
      { type: 'OrdersController', method: 'Summary', calleeType: 'IBasketService', callee: 'GetBasketAsync', inLoop: true, line: 8 },
      { type: 'OrdersController', method: 'Summary', calleeType: 'IBasketService', callee: 'GetBasketAsync', inLoop: true, line: 9 },
      { type: 'OrdersController', method: 'Summary', calleeType: 'IBasketService', callee: 'GetBasketAsync', inLoop: false, line: 10 },
    ]);
    expect(controller?.classGraph?.callers).toEqual([]);
  });

  it('a receiver of unknown type is no edge; a file with neither calls nor typed invocations has no class graph', async () => {
    const found = await run(`public class Sum { public int Total(int[] xs) { var t = 0; foreach (var x in xs) { t += Helpers.Twice(x); } return t; } }`);
    expect(found).not.toBeNull();
    expect(found?.classGraph).toBeUndefined();
  });
});
