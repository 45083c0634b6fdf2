import { describe, expect, it } from 'vitest';
import goSource from '../../../src/model/extract/go-source.js';
import { runExtractor } from '../../helpers/extract.js';

const extract = async (text: string, path = 'internal/orders/client.go') => (await runExtractor(goSource, path, text))!;

/** Calls without the fields every call has the same, for short expectations. */
const calls = async (text: string) =>
  ((await extract(text)).calls ?? []).map(({ kind, client, method, url, envVar, configKey, serviceId, breaker, inLoop, location }) => ({
    kind,
    client,
    method,
    url,
    envVar,
    configKey,
    serviceId,
    breaker,
    inLoop,
    line: location.line,
  }));

const call = (fields: Record<string, unknown>) => ({ kind: 'grpc', client: 'grpc', method: null, url: null, envVar: null, configKey: null, serviceId: null, breaker: false, inLoop: false, ...fields });

describe('go-source: files', () => {
  it('reads Go source, not tests, generated protobuf code or vendored modules', async () => {
    const text = 'package main\n\nfunc main() {}\n';
    expect(await runExtractor(goSource, 'cmd/orders/main.go', text)).not.toBeNull();
    for (const path of ['cmd/orders/main_test.go', 'proto/orders.pb.go', 'proto/orders_grpc.pb.go', 'proto/orders.pb.gw.go', 'vendor/x/y.go', 'main.py']) {
      expect(await runExtractor(goSource, path, text)).toBeNull();
    }
  });
});

describe('go-source: entry points and imports', () => {
  it('finds func main in package main, and lists the imports that are not the standard library', async () => {
    const facts = await extract('package main\n\nimport (\n\t"fmt"\n\t"net/http"\n\torders "example.com/shop/internal/orders"\n\t_ "github.com/lib/pq"\n)\n\nfunc main() { fmt.Println(orders.X, http.X) }\n', 'cmd/orders/main.go');
    expect(facts.language).toBe('go');
    expect(facts.entryPoints).toEqual([{ what: 'func main', location: { file: 'cmd/orders/main.go', line: 10 } }]);
    expect(facts.imports?.map((i) => [i.specifier, i.location.line])).toEqual([
      ['example.com/shop/internal/orders', 6],
      ['github.com/lib/pq', 7],
    ]);
  });

  it('a file with no other fact still gives its imports (only its header is parsed)', async () => {
    const text = 'package orders\n\nimport (\n\t"strings"\n\t"example.com/shop/internal/pricing"\n)\n\nfunc Total(items []string) int {\n\treturn pricing.Sum(strings.Join(items, ","))\n}\n';
    const facts = await extract(text, 'internal/orders/total.go');
    expect(facts.imports?.map((i) => i.specifier)).toEqual(['example.com/shop/internal/pricing']);
    expect(facts.calls).toBeUndefined();
  });

  it('a main function outside package main, or package main without one, is no entry point', async () => {
    expect((await extract('package orders\n\nimport "fmt"\n\nfunc main() { fmt.Println() }\n')).entryPoints).toBeUndefined();
    expect((await extract('package main\n\nimport "fmt"\n\nfunc run() { fmt.Println() }\n')).entryPoints).toBeUndefined();
  });
});

describe('go-source: gRPC calls', () => {
  it('records each call through a generated client, with the address of the dial it uses', async () => {
    const text = `package orders

import (
	"context"
	"os"

	pb "example.com/shop/proto/gen"
	"google.golang.org/grpc"
)

func Load(ctx context.Context, ids []string) error {
	conn, err := grpc.Dial(os.Getenv("PRODUCT_ADDR"), grpc.WithInsecure())
	if err != nil {
		return err
	}
	client := pb.NewProductServiceClient(conn)
	for _, id := range ids {
		client.GetProduct(ctx, &pb.GetProductRequest{Id: id})
	}
	_, err = client.ListProducts(ctx, &pb.Empty{})
	// client.DeleteProduct(ctx, nil) is commented out: not a call
	return err
}
`;
    expect(await calls(text)).toEqual([
      call({ url: 'env:PRODUCT_ADDR', envVar: 'PRODUCT_ADDR', inLoop: true, line: 18 }),
      call({ url: 'env:PRODUCT_ADDR', envVar: 'PRODUCT_ADDR', line: 20 }),
    ]);
  });

  it('records a client without calls in this file once, and a dial without a client as the call', async () => {
    const withClient = `package orders

import (
	pb "example.com/shop/proto/gen"
	"google.golang.org/grpc"
)

func New() pb.CartServiceClient {
	conn, _ := grpc.NewClient("cart:7070")
	return pb.NewCartServiceClient(conn)
}
`;
    expect(await calls(withClient)).toEqual([call({ url: 'cart:7070', line: 10 })]);
    const dialOnly = 'package orders\n\nimport "google.golang.org/grpc"\n\nfunc Dial(cfg *Config) (*grpc.ClientConn, error) {\n\treturn grpc.DialContext(ctx, cfg.Payment.Addr)\n}\n';
    expect(await calls(dialOnly)).toEqual([call({ url: '${Payment.Addr}', configKey: 'Payment.Addr', line: 6 })]);
  });

  it('follows local dial helpers and env helpers, and names the fields other files read the address through', async () => {
    const text = `package main

import (
	"context"
	"os"

	pb "example.com/shop/proto/gen"
	"google.golang.org/grpc"
)

type server struct {
	cartAddr string
	cartConn *grpc.ClientConn
}

func main() {
	svc := new(server)
	mustMapEnv(&svc.cartAddr, "CART_SERVICE_ADDR")
	mustConnGRPC(context.Background(), &svc.cartConn, svc.cartAddr)
	addr := "unrelated:1"
	_ = addr
}

func (s *server) cart(ctx context.Context) {
	pb.NewCartServiceClient(s.cartConn).GetCart(ctx, nil)
}

func mustMapEnv(target *string, key string) {
	*target = os.Getenv(key)
}

func mustConnGRPC(ctx context.Context, conn **grpc.ClientConn, addr string) {
	var err error
	*conn, err = grpc.NewClient(addr)
	_ = err
}
`;
    const facts = await extract(text, 'cmd/checkout/main.go');
    expect(facts.calls?.map((c) => [c.url, c.envVar, c.location.line])).toEqual([['env:CART_SERVICE_ADDR', 'CART_SERVICE_ADDR', 25]]);
    expect(facts.settings?.map((s) => [s.key, s.value])).toEqual([
      ['cartAddr', '${CART_SERVICE_ADDR}'],
      ['cartConn', '${CART_SERVICE_ADDR}'],
    ]);
  });

  it('a client whose connection is a field set elsewhere gets the field as configKey, and its service name', async () => {
    const text = `package main

import pb "example.com/shop/proto/gen"

func (fe *frontend) currencies(ctx context.Context) {
	pb.NewCurrencyServiceClient(fe.currencySvcConn).GetSupportedCurrencies(ctx, nil)
	pb.NewAdServiceClient(conn).GetAds(ctx, nil)
}
`;
    expect(await calls(text)).toEqual([
      call({ url: '${currencySvcConn}', configKey: 'currencySvcConn', line: 6 }),
      call({ serviceId: 'AdService', line: 7 }),
    ]);
  });

  it('a name bound in one function says nothing about the same name in another', async () => {
    const text = 'package main\n\nimport (\n\t"os"\n\t"google.golang.org/grpc"\n)\n\nfunc main() {\n\taddr := os.Getenv("LISTEN_ADDR")\n\tserve(addr)\n}\n\nfunc (c *C) connect(addr string) {\n\tconn, _ := grpc.Dial(addr)\n\t_ = conn\n}\n';
    expect(await calls(text)).toEqual([call({ line: 14 })]);
  });

  it('a NewXClient of a library, not given a connection, is no gRPC client', async () => {
    const text = 'package cache\n\nimport "github.com/redis/go-redis/v9"\n\nfunc New(opts *redis.ClusterOptions) { c := redis.NewClusterClient(opts); c.Get(ctx, "k") }\n';
    expect(await calls(text)).toEqual([]);
  });
});

describe('go-source: HTTP calls', () => {
  it('records net/http and resty calls with their URLs', async () => {
    const text = `package orders

import (
	"fmt"
	"net/http"
	"os"

	"github.com/go-resty/resty/v2"
)

var base = os.Getenv("PAYMENTS_URL")

func Pay(id string) {
	http.Get("http://inventory:8080/items")
	req, _ := http.NewRequest("POST", base+"/pay/"+id, nil)
	http.DefaultClient.Do(req)
	client := &http.Client{}
	client.Post(fmt.Sprintf("http://%s:%d/x", os.Getenv("SHIPPING_HOST"), 80), "application/json", nil)
	r := resty.New()
	r.R().SetBody(id).Put("http://users/users/" + id)
}
`;
    expect((await calls(text)).map((c) => [c.client, c.method, c.url, c.envVar, c.line])).toEqual([
      ['net/http', 'GET', 'http://inventory:8080/items', null, 14],
      ['net/http', 'POST', '${PAYMENTS_URL}/pay/${id}', 'PAYMENTS_URL', 15],
      ['net/http', 'POST', 'http://${SHIPPING_HOST}:80/x', 'SHIPPING_HOST', 18],
      ['resty', 'PUT', 'http://users/users/${id}', null, 20],
    ]);
  });

  it('viper keys: a dotted key is configuration, an upper-case key is also the environment variable of that name', async () => {
    const text = 'package orders\n\nimport (\n\t"net/http"\n\t"github.com/spf13/viper"\n)\n\nfunc F() {\n\thttp.Get(viper.GetString("services.users") + "/u")\n\thttp.Get(viper.GetString("ORDERS_URL"))\n}\n';
    expect((await calls(text)).map((c) => [c.url, c.envVar, c.configKey])).toEqual([
      ['${services.users}/u', null, 'services.users'],
      ['env:ORDERS_URL', 'ORDERS_URL', 'ORDERS_URL'],
    ]);
  });

  it('a configuration field read through the struct that holds it is keyed by its exported path', async () => {
    const text = 'package orders\n\nimport "net/http"\n\nfunc (s *Service) F() {\n\thttp.Get(s.cfg.Users.URL + "/u")\n\thttp.Get(s.usersURL)\n}\n';
    expect((await calls(text)).map((c) => c.configKey)).toEqual(['Users.URL', 'usersURL']);
  });

  it('a Get on something that is no HTTP client is no call', async () => {
    const text = 'package orders\n\nimport "net/http"\n\nfunc H(w http.ResponseWriter, r *http.Request) { r.Header.Get("X"); cache.Get("http://not-a-call") }\n';
    expect(await calls(text)).toEqual([]);
  });
});

describe('go-source: breakers', () => {
  it('marks calls made inside a breaker as protected, and records the breaker', async () => {
    const text = `package orders

import (
	"net/http"

	"github.com/sony/gobreaker/v2"
)

var cb = gobreaker.NewCircuitBreaker[*http.Response](gobreaker.Settings{Name: "inventory"})

func Stock() {
	cb.Execute(func() (*http.Response, error) {
		return http.Get("http://inventory/stock")
	})
	http.Get("http://inventory/unprotected")
}
`;
    const facts = await extract(text);
    expect(facts.breakers).toEqual([{ what: 'gobreaker.NewCircuitBreaker', location: { file: 'internal/orders/client.go', line: 9 } }]);
    expect(facts.calls?.map((c) => [c.url, c.breaker])).toEqual([
      ['http://inventory/stock', true],
      ['http://inventory/unprotected', false],
    ]);
  });

  it('a breaker attached to the client or the connection protects every call through it; a request sent inside a breaker is protected', async () => {
    const text = `package orders

import (
	"net/http"

	"github.com/sony/gobreaker"
	pb "example.com/shop/proto/gen"
	"google.golang.org/grpc"
	"example.com/shop/pkg/breakers"
)

var cb = gobreaker.NewCircuitBreaker(gobreaker.Settings{})

func Calls() {
	guarded := &http.Client{Transport: breakers.NewRoundTripper(cb)}
	guarded.Get("http://inventory/stock")
	plain := &http.Client{}
	plain.Get("http://inventory/plain")
	req, _ := http.NewRequest("GET", "http://users/u", nil)
	cb.Execute(func() (any, error) { return plain.Do(req) })
	conn, _ := grpc.Dial("payments:50051", grpc.WithUnaryInterceptor(breakers.UnaryClientInterceptor(cb)))
	pb.NewPaymentsClient(conn).Pay(ctx, nil)
	other, _ := grpc.Dial("ledger:50051", grpc.WithInsecure())
	pb.NewLedgerClient(other).Post(ctx, nil)
}
`;
    expect((await calls(text)).map((c) => [c.url, c.breaker])).toEqual([
      ['http://inventory/stock', true],
      ['http://inventory/plain', false],
      ['http://users/u', true],
      ['payments:50051', true],
      ['ledger:50051', false],
    ]);
  });

  it('a function of the file that is only run inside a breaker has its calls protected', async () => {
    const text = `package orders

import (
	"net/http"

	"github.com/sony/gobreaker"
)

type Client struct{ cb *gobreaker.CircuitBreaker }

func (c *Client) User(id string) (any, error) {
	return c.cb.Execute(func() (any, error) { return c.fetch(id) })
}

func (c *Client) fetch(id string) (any, error) {
	return http.Get("http://users/" + id)
}

func (c *Client) Get(id string) (any, error) {
	return http.Get("http://users/raw/" + id)
}
`;
    expect((await calls(text)).map((c) => [c.url, c.breaker])).toEqual([
      ['http://users/${id}', true],
      ['http://users/raw/${id}', false],
    ]);
  });

  it('hystrix.Do protects what runs inside it', async () => {
    const text = 'package orders\n\nimport (\n\t"net/http"\n\t"github.com/afex/hystrix-go/hystrix"\n)\n\nfunc F() {\n\thystrix.Do("users", func() error { _, err := http.Get("http://users/"); return err }, nil)\n}\n';
    const facts = await extract(text);
    expect(facts.calls?.map((c) => c.breaker)).toEqual([true]);
    expect(facts.breakers?.map((b) => b.what)).toEqual(['hystrix.Do']);
  });

  it('retries alone are not a breaker', async () => {
    const text = 'package orders\n\nimport (\n\t"net/http"\n\t"github.com/avast/retry-go/v4"\n)\n\nfunc F() {\n\tretry.Do(func() error { _, err := http.Get("http://users/"); return err })\n}\n';
    const facts = await extract(text);
    expect(facts.calls?.map((c) => c.breaker)).toEqual([false]);
    expect(facts.breakers).toBeUndefined();
  });
});

describe('go-source: grpc-gateway', () => {
  it('is a gateway whose routes go to the registered endpoints', async () => {
    const text = `package main

import (
	"fmt"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	gen "example.com/shop/proto/gen"
)

func gateway(ctx context.Context, cfg *config.Config) {
	mux := runtime.NewServeMux()
	endpoint := fmt.Sprintf("%s:%d", cfg.ProductHost, cfg.ProductPort)
	gen.RegisterProductServiceHandlerFromEndpoint(ctx, mux, endpoint, nil)
	gen.RegisterOrderServiceHandlerFromEndpoint(ctx, mux, os.Getenv("ORDERS_ADDR"), nil)
}
`;
    const facts = await extract(text, 'cmd/proxy/main.go');
    expect(facts.gateways).toEqual([
      {
        implementation: 'grpc-gateway',
        runsIn: null,
        routes: [
          { path: null, host: null, upstream: '${ProductHost}:${ProductPort}', breaker: false, location: { file: 'cmd/proxy/main.go', line: 13 } },
          { path: null, host: null, upstream: 'env:ORDERS_ADDR', breaker: false, location: { file: 'cmd/proxy/main.go', line: 14 } },
        ],
        location: { file: 'cmd/proxy/main.go', line: 13 },
      },
    ]);
  });

  it('a Register…Handler call without grpc-gateway is no gateway', async () => {
    const text = 'package main\n\nimport gen "example.com/shop/proto/gen"\n\nfunc f() { gen.RegisterProductServiceHandlerFromEndpoint(ctx, mux, "product:5001", nil) }\n';
    expect((await extract(text)).gateways).toBeUndefined();
  });
});

describe('go-source: configuration in struct tags', () => {
  it('records each env tag with its default, and the field paths code reads it through', async () => {
    const text = `package config

type Config struct {
	HTTP
	Orders OrdersClient \`yaml:"orders"\`
	Name   string       \`yaml:"name"\`
}

type HTTP struct {
	Port int \`env:"HTTP_PORT" env-default:"8080"\`
}

type OrdersClient struct {
	URL string \`yaml:"url" env:"ORDERS_URL,required"\`
	DB  string \`mapstructure:"DB_SOURCE"\`
	Key string \`mapstructure:"api_key"\`
}
`;
    const settings = (await extract(text, 'cmd/web/config/config.go')).settings?.map((s) => `${s.key}=${s.value}@${s.location.line}`);
    expect(settings).toEqual([
      'HTTP.Port=${HTTP_PORT:8080}@10',
      'Port=${HTTP_PORT:8080}@10',
      'Orders.URL=${ORDERS_URL}@14',
      'Orders.DB=${DB_SOURCE}@15',
      'HTTP_PORT=8080@10',
      'ORDERS_URL=@14',
      'OrdersClient.URL=${ORDERS_URL}@14',
      'DB_SOURCE=@15',
      'OrdersClient.DB=${DB_SOURCE}@15',
    ]);
  });

  it('tags that name no environment variable are no settings', async () => {
    const text = 'package config\n\ntype Config struct {\n\tName string `yaml:"name" json:"name"`\n\tKey string `mapstructure:"api_key"`\n}\n';
    expect((await extract(text)).settings).toBeUndefined();
  });

  it('an env helper with a default is a setting', async () => {
    const text = 'package main\n\nfunc main() { addr := getEnv("ORDERS_ADDR", "orders:50051"); _ = addr }\n';
    expect((await extract(text, 'cmd/x/main.go')).settings?.map((s) => [s.key, s.value])).toEqual([['ORDERS_ADDR', 'orders:50051']]);
  });
});

describe('go-source: health', () => {
  it('finds the gRPC health service and HTTP health routes', async () => {
    const text = `package main

import (
	"github.com/gin-gonic/gin"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	srv := health.NewServer()
	healthpb.RegisterHealthServer(s, srv)
	r := gin.Default()
	r.GET("/healthz", ok)
	mux.HandleFunc("GET /ready", ok)
	r.GET("/orders", list)
}
`;
    expect((await extract(text, 'cmd/x/main.go')).health?.map((h) => [h.what, h.location.line])).toEqual([
      ['health.NewServer', 10],
      ['healthpb.RegisterHealthServer', 11],
      ['GET("/healthz")', 13],
      ['HandleFunc("GET /ready")', 14],
    ]);
  });

  it('a route in a group mounted at a health prefix is a health route', async () => {
    const text = 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.New()\n\thealth := r.Group("/health")\n\thealth.GET("/live", ok)\n\tapi := r.Group("/api")\n\tapi.GET("/orders", list)\n}\n';
    expect((await extract(text, 'cmd/x/main.go')).health?.map((h) => [h.what, h.location.line])).toEqual([['GET("/health/live")', 8]]);
  });

  it('routes that are not health endpoints say nothing', async () => {
    const text = 'package main\n\nimport "net/http"\n\nfunc main() { http.HandleFunc("/orders", h); http.HandleFunc("/healthcare-plans", h) }\n';
    expect((await extract(text, 'cmd/x/main.go')).health).toBeUndefined();
  });
});

describe('go-source: tracing', () => {
  it('finds the OpenTelemetry SDK and its exporter, once per package', async () => {
    const text = `package main

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func initTracing() {
	exporter, _ := otlptracegrpc.New(ctx, otlptracegrpc.WithInsecure())
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter))
	otel.SetTracerProvider(tp)
}
`;
    const facts = await extract(text, 'cmd/x/main.go');
    expect(facts.tracing?.map((t) => [t.what, t.location.line])).toEqual([
      ['otlptracegrpc.New', 10],
      ['sdktrace.NewTracerProvider', 11],
      ['otel.SetTracerProvider', 12],
    ]);
    expect(facts.traceExport?.map((t) => t.what)).toEqual(['otlptracegrpc.New']);
  });

  it('using the tracing API (spans from context) sets nothing up', async () => {
    const text = 'package orders\n\nimport "go.opentelemetry.io/otel/trace"\n\nfunc F(ctx context.Context) { span := trace.SpanFromContext(ctx); span.End() }\n';
    const facts = await extract(text);
    expect(facts.tracing).toBeUndefined();
    expect(facts.traceExport).toBeUndefined();
  });
});

describe('go-source: messaging', () => {
  const endpoints = async (text: string, path?: string) => ((await extract(text, path)).messaging ?? []).map((m) => [m.broker, m.role, m.channel, m.location.line]);

  it('RabbitMQ (amqp091-go): publish to an exchange or a queue, consume, bind', async () => {
    const text = `package orders

import amqp "github.com/rabbitmq/amqp091-go"

const exchange = "orders-exchange"

func Run(ch *amqp.Channel, ctx context.Context, body []byte) {
	ch.PublishWithContext(ctx, exchange, "created", false, false, amqp.Publishing{Body: body})
	ch.Publish("", "payments-queue", false, false, amqp.Publishing{})
	ch.Consume("orders-queue", "", false, false, false, false, nil)
	ch.QueueBind("orders-queue", "#", "billing-exchange", false, nil)
	ch.PublishWithContext(ctx, os.Getenv("EXCHANGE"), "k", false, false, amqp.Publishing{})
	p.Publish(ctx, body, "text/plain")
}
`;
    expect(await endpoints(text)).toEqual([
      ['rabbitmq', 'producer', 'orders-exchange', 8],
      ['rabbitmq', 'producer', 'payments-queue', 9],
      ['rabbitmq', 'consumer', 'orders-queue', 10],
      ['rabbitmq', 'consumer', 'billing-exchange', 11],
      ['rabbitmq', 'producer', 'env:EXCHANGE', 12],
    ]);
  });

  it('Kafka (sarama, kafka-go) and NATS', async () => {
    const sarama = 'package o\n\nimport "github.com/IBM/sarama"\n\nfunc F() {\n\tp, _ := sarama.NewSyncProducer(brokers, cfg)\n\tp.SendMessage(&sarama.ProducerMessage{Topic: "orders", Value: v})\n\tgroup.Consume(ctx, []string{"payments", "refunds"}, handler)\n}\n';
    expect(await endpoints(sarama)).toEqual([
      ['kafka', 'producer', 'orders', 7],
      ['kafka', 'consumer', 'payments', 8],
      ['kafka', 'consumer', 'refunds', 8],
    ]);
    const kafkaGo = 'package o\n\nimport "github.com/segmentio/kafka-go"\n\nfunc F() {\n\tr := kafka.NewReader(kafka.ReaderConfig{Brokers: b, Topic: "shipments"})\n\tw := &kafka.Writer{Addr: kafka.TCP("k:9092"), Topic: "orders"}\n}\n';
    expect(await endpoints(kafkaGo)).toEqual([
      ['kafka', 'consumer', 'shipments', 6],
      ['kafka', 'producer', 'orders', 7],
    ]);
    const nats = 'package o\n\nimport "github.com/nats-io/nats.go"\n\nfunc F(nc *nats.Conn) {\n\tnc.Publish("orders.created", data)\n\tnc.QueueSubscribe("orders.*", "billing", handler)\n}\n';
    expect(await endpoints(nats)).toEqual([
      ['nats', 'producer', 'orders.created', 6],
      ['nats', 'consumer', 'orders.*', 7],
    ]);
  });

  it('a topic read from a configuration field is that configuration key', async () => {
    const text = 'package o\n\nimport "github.com/segmentio/kafka-go"\n\nfunc (s *S) F() {\n\ts.w.WriteMessages(ctx, kafka.Message{Topic: s.cfg.Kafka.OrdersTopic})\n}\n';
    const facts = await extract(text);
    expect(facts.messaging).toEqual([{ broker: 'kafka', role: 'producer', channel: null, configKey: 'Kafka.OrdersTopic', location: { file: 'internal/orders/client.go', line: 6 } }]);
  });

  it('option functions of a local publisher/consumer package name the channel (the exchange, not the queue beside it)', async () => {
    const text = `package main

import (
	pkgConsumer "example.com/shop/pkg/rabbitmq/consumer"
	pkgPublisher "example.com/shop/pkg/rabbitmq/publisher"
	"example.com/shop/pkg/options"
)

func main() {
	a.Pub.Configure(pkgPublisher.ExchangeName("kitchen-exchange"), pkgPublisher.BindingKey("k"))
	a.Consumer.Configure(pkgConsumer.ExchangeName("counter-exchange"), pkgConsumer.QueueName("counter-queue"))
	options.QueueName("not-a-broker-package")
}
`;
    expect(await endpoints(text, 'cmd/x/main.go')).toEqual([
      ['rabbitmq', 'producer', 'kitchen-exchange', 10],
      ['rabbitmq', 'consumer', 'counter-exchange', 11],
    ]);
  });

  it('a struct default is no channel name, and method names alone say nothing without the client library', async () => {
    const wrapper = 'package publisher\n\nimport amqp "github.com/rabbitmq/amqp091-go"\n\nfunc New() *P { return &P{exchange: "default-exchange"} }\n\nfunc (p *P) Send(ch *amqp.Channel) {\n\tch.Publish(p.exchange, "", false, false, amqp.Publishing{})\n}\n';
    expect(await endpoints(wrapper)).toEqual([['rabbitmq', 'producer', null, 8]]);
    const unrelated = 'package o\n\nimport "fmt"\n\nfunc F() { bus.Publish("a", "b", false, false, x); s.Subscribe("orders", h) }\n';
    expect(await endpoints(unrelated)).toEqual([]);
  });
});

describe('go-source: local state', () => {
  it('sessions in files or memory prevent replicas; cookie sessions do not', async () => {
    const files = 'package web\n\nimport "github.com/gorilla/sessions"\n\nvar store = sessions.NewFilesystemStore("", key)\n';
    expect((await extract(files)).localState?.map((s) => [s.kind, s.location.line])).toEqual([['local-file', 5]]);
    const cookies = 'package web\n\nimport "github.com/gorilla/sessions"\n\nvar store = sessions.NewCookieStore(key)\n';
    expect((await extract(cookies)).localState).toBeUndefined();
  });
});
