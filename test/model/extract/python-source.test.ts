import { describe, expect, it } from 'vitest';
import pythonSource from '../../../src/model/extract/python-source.js';
import { runExtractor } from '../../helpers/extract.js';

const extract = async (text: string, path = 'orders/app/client.py') => (await runExtractor(pythonSource, path, text))!;

const calls = async (text: string) =>
  ((await extract(text)).calls ?? []).map((c) => ({ kind: c.kind, client: c.client, method: c.method, url: c.url, envVar: c.envVar, configKey: c.configKey, breaker: c.breaker, inLoop: c.inLoop, line: c.location.line }));

describe('python-source: files', () => {
  it('does not parse a module that names no client, framework, library or environment read', async () => {
    expect(await runExtractor(pythonSource, 'orders/domain/order.py', 'from dataclasses import dataclass\n\n@dataclass\nclass Order:\n    id: str\n')).toBeNull();
  });

  it('reads Python source, not tests, generated gRPC code, virtualenvs or migrations', async () => {
    const text = 'import requests\n';
    expect(await runExtractor(pythonSource, 'orders/app/main.py', text)).not.toBeNull();
    for (const path of ['orders/tests/test_api.py', 'orders/test_api.py', 'orders/api_test.py', 'orders/demo_pb2.py', 'orders/demo_pb2_grpc.py', '.venv/lib/x.py', 'orders/migrations/0001_initial.py', 'orders/main.go']) {
      expect(await runExtractor(pythonSource, path, text)).toBeNull();
    }
  });
});

describe('python-source: entry points and imports', () => {
  it('finds the main guard and application objects, and lists imports that are not the standard library', async () => {
    const text = 'import os\nimport uvicorn\nfrom fastapi import FastAPI\nfrom .routes import router\n\napp = FastAPI()\n\nif __name__ == "__main__":\n    uvicorn.run(app)\n';
    const facts = await extract(text, 'orders/main.py');
    expect(facts.entryPoints?.map((e) => [e.what, e.location.line])).toEqual([
      ['if __name__ == "__main__"', 8],
      ['fastapi.FastAPI', 6],
      ['uvicorn.run', 9],
    ]);
    expect(facts.imports?.map((i) => [i.specifier, i.location.line])).toEqual([
      ['uvicorn', 2],
      ['fastapi', 3],
      ['.routes', 4],
    ]);
  });

  it('a module without a main guard or app object has no entry point', async () => {
    const text = 'import os\n\ndef helper():\n    if name == "__main__":\n        return os.getcwd()\n';
    expect((await extract(text)).entryPoints).toBeUndefined();
  });
});

describe('python-source: HTTP calls', () => {
  it('requests, httpx clients with a base URL, aiohttp sessions; addresses from the environment and settings', async () => {
    const text = `import os
import httpx
import requests as r
from aiohttp import ClientSession
from app.config import settings

ORDERS_URL = os.environ["ORDERS_URL"]
PAYMENTS = os.getenv("PAYMENTS_URL", "http://payments:8000")


def place(ids):
    r.post(f"{ORDERS_URL}/orders", json={})
    for item in ids:
        r.get(PAYMENTS + "/status/" + item)
    # r.delete("http://commented/out")


async def ship():
    async with httpx.AsyncClient(base_url=settings.shipping_url) as client:
        await client.post("/shipments")
    async with ClientSession() as session:
        async with session.get("http://inventory:8080/stock") as response:
            return await response.json()
`;
    expect(await calls(text)).toEqual([
      { kind: 'http', client: 'requests', method: 'POST', url: '${ORDERS_URL}/orders', envVar: 'ORDERS_URL', configKey: null, breaker: false, inLoop: false, line: 12 },
      { kind: 'http', client: 'requests', method: 'GET', url: '${PAYMENTS_URL}/status/${item}', envVar: 'PAYMENTS_URL', configKey: null, breaker: false, inLoop: true, line: 14 },
      { kind: 'http', client: 'httpx', method: 'POST', url: '${shipping_url}/shipments', envVar: null, configKey: 'shipping_url', breaker: false, inLoop: false, line: 20 },
      { kind: 'http', client: 'aiohttp', method: 'GET', url: 'http://inventory:8080/stock', envVar: null, configKey: null, breaker: false, inLoop: false, line: 22 },
    ]);
  });

  it('a constant imported from another module is a configuration key of that name', async () => {
    const text = 'import requests\nfrom app.config import USERS_URL, timeout\n\ndef f():\n    requests.get(USERS_URL + "/u", timeout=timeout)\n    requests.get(timeout)\n';
    expect((await calls(text)).map((c) => [c.url, c.configKey])).toEqual([
      ['${USERS_URL}/u', 'USERS_URL'],
      [null, null],
    ]);
  });

  it('settings read through the object that holds them are keyed by the setting', async () => {
    const text = 'import httpx\n\nclass Users:\n    async def get(self, uid):\n        return await httpx.get(f"{self.settings.users_url}/u/{uid}")\n';
    expect((await calls(text)).map((c) => [c.url, c.configKey])).toEqual([['${users_url}/u/${uid}', 'users_url']]);
  });

  it('a name bound in one function says nothing about the same name in another', async () => {
    const text = 'import os\nimport requests\n\ndef a():\n    url = os.environ["A_URL"]\n    return url\n\ndef b(url):\n    return requests.get(url)\n';
    expect((await calls(text)).map((c) => [c.url, c.envVar])).toEqual([[null, null]]);
  });

  it('get() on a dict or an unknown object is no call', async () => {
    const text = 'import os\n\ndef f(cache, data):\n    data.get("http://orders/x")\n    cache.post("http://orders/y")\n    os.environ.get("ORDERS_URL")\n';
    expect(await calls(text)).toEqual([]);
  });
});

describe('python-source: gRPC', () => {
  it('stub calls carry the channel address; a stub nothing is called through is one call', async () => {
    const text = `import os
import grpc
import demo_pb2_grpc


def recommend(ids):
    channel = grpc.insecure_channel(os.environ["PRODUCT_CATALOG_SERVICE_ADDR"])
    stub = demo_pb2_grpc.ProductCatalogServiceStub(channel)
    return [stub.GetProduct(i) for i in ids]


class Client:
    def __init__(self):
        self.cart = demo_pb2_grpc.CartServiceStub(self.channel)
`;
    const facts = await extract(text);
    expect(facts.calls?.map((c) => [c.kind, c.url, c.envVar, c.configKey, c.serviceId, c.inLoop, c.location.line])).toEqual([
      ['grpc', 'env:PRODUCT_CATALOG_SERVICE_ADDR', 'PRODUCT_CATALOG_SERVICE_ADDR', null, null, true, 9],
      ['grpc', '${channel}', null, 'channel', null, false, 14],
    ]);
  });
});

describe('python-source: breakers', () => {
  it('pybreaker instances used as decorators or with call() protect their calls; the breaker is recorded', async () => {
    const text = `import pybreaker
import requests

orders_breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)


@orders_breaker
def fetch(order_id):
    return requests.get(f"http://orders:8000/orders/{order_id}")


def fetch_unprotected(order_id):
    return requests.get("http://orders:8000/other")


def via_call():
    return orders_breaker.call(requests.get, "http://orders:8000/called")
`;
    const facts = await extract(text);
    expect(facts.breakers?.map((b) => [b.what, b.location.line])).toEqual([['pybreaker.CircuitBreaker', 4]]);
    expect(facts.calls?.map((c) => [c.url, c.breaker])).toEqual([
      ['http://orders:8000/orders/${order_id}', true],
      ['http://orders:8000/other', false],
      ['http://orders:8000/called', true],
    ]);
  });

  it('a function of the file that is only run through a breaker has its calls protected', async () => {
    const text = 'import requests\nimport pybreaker\n\nbreaker = pybreaker.CircuitBreaker()\n\nclass Users:\n    def user(self, uid):\n        return breaker.call(self._fetch, uid)\n\n    def _fetch(self, uid):\n        return requests.get(f"http://users/{uid}")\n\n    def get(self, uid):\n        with breaker.calling():\n            requests.get("http://users/in-block")\n        return requests.get("http://users/raw")\n';
    expect((await calls(text)).map((c) => [c.url, c.breaker])).toEqual([
      ['http://users/${uid}', true],
      ['http://users/in-block', true],
      ['http://users/raw', false],
    ]);
  });

  it('a with block of a breaker protects its body only', async () => {
    const text = 'import requests\nimport pybreaker\n\nbreaker = pybreaker.CircuitBreaker()\n\ndef f(session):\n    with session:\n        requests.get("http://a/")\n        with breaker.calling():\n            requests.get("http://b/")\n';
    expect((await calls(text)).map((c) => [c.url, c.breaker])).toEqual([
      ['http://a/', false],
      ['http://b/', true],
    ]);
  });

  it('@circuit from circuitbreaker protects the function', async () => {
    const text = 'import httpx\nfrom circuitbreaker import circuit\n\n@circuit(failure_threshold=3)\ndef users():\n    return httpx.get("http://users/")\n';
    const facts = await extract(text);
    expect(facts.calls?.map((c) => c.breaker)).toEqual([true]);
    expect(facts.breakers?.map((b) => b.what)).toEqual(['circuitbreaker.circuit']);
  });

  it('retries (tenacity) are not a breaker', async () => {
    const text = 'import requests\nfrom tenacity import retry, stop_after_attempt\n\n@retry(stop=stop_after_attempt(3))\ndef users():\n    return requests.get("http://users/")\n';
    const facts = await extract(text);
    expect(facts.calls?.map((c) => c.breaker)).toEqual([false]);
    expect(facts.breakers).toBeUndefined();
  });
});

describe('python-source: settings', () => {
  it('environment reads with defaults, module names bound to the environment, pydantic BaseSettings fields', async () => {
    const text = `import os
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic import Field

INVENTORY_ADDR = os.environ.get("INVENTORY_HOST", "inventory:50051")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")
    orders_url: str = "http://orders:8000"
    db_url: str = Field(default="postgresql://db/orders", alias="DATABASE_URL")
    debug: bool


def local():
    port = os.getenv("PORT")
    return port
`;
    expect((await extract(text, 'orders/config.py')).settings?.map((s) => `${s.key}=${s.value}@${s.location.line}`)).toEqual([
      'INVENTORY_ADDR=${INVENTORY_HOST:inventory:50051}@5',
      'INVENTORY_HOST=inventory:50051@5',
      'APP_ORDERS_URL=http://orders:8000@10',
      'orders_url=${APP_ORDERS_URL:http://orders:8000}@10',
      'DATABASE_URL=postgresql://db/orders@11',
      'db_url=${DATABASE_URL:postgresql://db/orders}@11',
      'APP_DEBUG=@12',
      'debug=${APP_DEBUG}@12',
    ]);
  });

  it('upper-case names of a settings module, dictionaries flattened: where Django keeps its database', async () => {
    const text = `import os

DEBUG = False
ALLOWED_HOSTS = ["*"]
USERS_URL = "http://users:8000"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("POSTGRES_DB", "orders"),
        "HOST": os.environ["POSTGRES_HOST"],
        "PORT": 5432,
    }
}
`;
    expect((await extract(text, 'orders/orders/settings.py')).settings?.map((s) => `${s.key}=${s.value}@${s.location.line}`)).toEqual([
      'USERS_URL=http://users:8000@5',
      'DATABASES.default.ENGINE=django.db.backends.postgresql@8',
      'DATABASES.default.NAME=${POSTGRES_DB:orders}@9',
      'DATABASES.default.HOST=${POSTGRES_HOST}@10',
      'DATABASES.default.PORT=5432@11',
      'POSTGRES_DB=orders@9',
    ]);
    expect((await extract(text, 'orders/orders/views.py')).settings?.map((s) => s.key)).toEqual(['POSTGRES_DB']);
  });

  it('a class that is no BaseSettings declares no settings', async () => {
    const text = 'import requests\nfrom pydantic import BaseModel\n\nclass Order(BaseModel):\n    id: str = "x"\n';
    expect((await extract(text)).settings).toBeUndefined();
  });
});

describe('python-source: health', () => {
  it('health routes of FastAPI, Flask, aiohttp and Django, and the gRPC health servicer', async () => {
    const text = `from fastapi import APIRouter
from django.urls import path
from grpc_health.v1 import health_pb2_grpc, health

router = APIRouter()


@router.get("/health/live")
def live():
    return {}


@app.route("/orders")
def orders():
    return []


urlpatterns = [path("healthz/", views.ok)]
app.router.add_get("/ready", ready)
health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
`;
    expect((await extract(text)).health?.map((h) => [h.what, h.location.line])).toEqual([
      ['router.get("/health/live")', 8],
      ['path("healthz/")', 18],
      ['app.router.add_get("/ready")', 19],
      ['grpc_health.v1.health_pb2_grpc.add_HealthServicer_to_server', 20],
      ['grpc_health.v1.health.HealthServicer', 20],
    ]);
  });

  it('a route under a router mounted at a health prefix is a health route', async () => {
    const text = 'from fastapi import APIRouter\n\nrouter = APIRouter(prefix="/health", tags=["health"])\n\n@router.get("")\ndef health():\n    return {}\n\nother = APIRouter(prefix="/orders")\n\n@other.get("/")\ndef orders():\n    return []\n';
    expect((await extract(text)).health?.map((h) => [h.what, h.location.line])).toEqual([['router.get("/health")', 5]]);
  });

  it('other routes say nothing', async () => {
    const text = 'from flask import Flask\napp = Flask(__name__)\n\n@app.get("/healthcare/plans")\ndef plans():\n    return []\n';
    expect((await extract(text)).health).toBeUndefined();
  });
});

describe('python-source: tracing', () => {
  it('the OpenTelemetry SDK, instrumentation and exporter', async () => {
    const text = `from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

provider = TracerProvider()
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(provider)
FastAPIInstrumentor.instrument_app(app)
`;
    const facts = await extract(text, 'orders/tracing.py');
    expect(facts.tracing?.map((t) => [t.what, t.location.line])).toEqual([
      ['opentelemetry.sdk.trace.TracerProvider', 7],
      ['opentelemetry.exporter.otlp.proto.grpc.trace_exporter.OTLPSpanExporter', 8],
      ['opentelemetry.trace.set_tracer_provider', 9],
      ['opentelemetry.instrumentation.fastapi.FastAPIInstrumentor.instrument_app', 10],
    ]);
    expect(facts.traceExport?.map((t) => t.what)).toEqual(['opentelemetry.exporter.otlp.proto.grpc.trace_exporter.OTLPSpanExporter']);
  });

  it('starting spans with the API sets nothing up', async () => {
    const text = 'from opentelemetry import trace\n\ntracer = trace.get_tracer(__name__)\nwith tracer.start_as_current_span("x"):\n    pass\n';
    const facts = await extract(text);
    expect(facts.tracing).toBeUndefined();
  });
});

describe('python-source: messaging', () => {
  const endpoints = async (text: string, path?: string) => ((await extract(text, path)).messaging ?? []).map((m) => [m.broker, m.role, m.channel, m.location.line]);

  it('pika: publish to an exchange or a queue, consume, bind', async () => {
    const text = `import pika

channel = pika.BlockingConnection().channel()
channel.basic_publish(exchange="", routing_key="payments", body=b"x")
channel.basic_publish("orders", "created", b"x")
channel.basic_consume(queue="shipments", on_message_callback=handle)
channel.queue_bind(queue="shipments", exchange="billing")
`;
    expect(await endpoints(text)).toEqual([
      ['rabbitmq', 'producer', 'payments', 4],
      ['rabbitmq', 'producer', 'orders', 5],
      ['rabbitmq', 'consumer', 'shipments', 6],
      ['rabbitmq', 'consumer', 'billing', 7],
    ]);
  });

  it('aio-pika exchanges and queues, Kafka producers and consumers', async () => {
    const aio = `import aio_pika

async def main(channel):
    exchange = await channel.declare_exchange("orders", aio_pika.ExchangeType.FANOUT)
    await exchange.publish(aio_pika.Message(b"x"), routing_key="")
    queue = await channel.declare_queue("billing-orders")
    await queue.bind(exchange)
    await queue.consume(handle)
`;
    expect(await endpoints(aio)).toEqual([
      ['rabbitmq', 'producer', 'orders', 5],
      ['rabbitmq', 'consumer', 'orders', 7],
      ['rabbitmq', 'consumer', 'billing-orders', 8],
    ]);
    const kafka = `from aiokafka import AIOKafkaProducer
from kafka import KafkaConsumer

producer = AIOKafkaProducer(bootstrap_servers="kafka:9092")
consumer = KafkaConsumer("payments", bootstrap_servers="kafka:9092")

async def send():
    await producer.send_and_wait("orders", b"x")
`;
    expect(await endpoints(kafka)).toEqual([
      ['kafka', 'consumer', 'payments', 5],
      ['kafka', 'producer', 'orders', 8],
    ]);
  });

  it('a topic read from settings is that configuration key', async () => {
    const text = 'from kafka import KafkaProducer\nfrom app.config import settings\n\nproducer = KafkaProducer()\nproducer.send(settings.ORDERS_TOPIC, b"x")\n';
    const facts = await extract(text);
    expect(facts.messaging?.map((m) => [m.role, m.channel, m.configKey, m.location.line])).toEqual([['producer', null, 'ORDERS_TOPIC', 5]]);
  });

  it('Celery tasks are consumed by the worker and sent by name', async () => {
    const worker = 'from celery import Celery\n\napp = Celery("tasks", broker="redis://redis:6379/0")\n\n@app.task\ndef charge(order_id):\n    pass\n';
    expect(await endpoints(worker, 'billing/tasks.py')).toEqual([['redis', 'consumer', 'tasks.charge', 5]]);
    const client = 'from celery import Celery\n\ncelery = Celery(broker="amqp://rabbitmq")\ncelery.send_task("tasks.charge", args=[1])\n';
    expect(await endpoints(client)).toEqual([['rabbitmq', 'producer', 'tasks.charge', 4]]);
  });

  it('publish/send on objects that are no broker clients say nothing', async () => {
    const text = 'import requests\n\ndef f(bus, mail):\n    bus.publish("orders", {})\n    mail.send("orders")\n    bus.basic_publish(exchange="", routing_key="x")\n';
    expect(await endpoints(text)).toEqual([]);
  });
});

describe('python-source: local state', () => {
  it('file-system sessions prevent replicas; a Redis session store does not', async () => {
    const files = 'from flask import Flask\napp = Flask(__name__)\napp.config["SESSION_TYPE"] = "filesystem"\n';
    expect((await extract(files)).localState?.map((s) => [s.kind, s.location.line])).toEqual([['local-file', 3]]);
    const redis = 'import os\nSESSION_TYPE = "redis"\n';
    expect((await extract(redis)).localState).toBeUndefined();
  });
});
