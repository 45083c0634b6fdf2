import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../../src/model/scan.js';
import type { RepoModel } from '../../../src/model/types.js';
import { tmpDir } from '../../helpers/tmp.js';

function repo(files: Record<string, string>): string {
  const root = tmpDir();
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), content);
  }
  return root;
}

const compose = (names: string[]) => ['services:', ...names.flatMap((n) => [`  ${n}:`, `    build: ./${n}`])].join('\n') + '\n';
const pom = (name: string) => `<project><modelVersion>4.0.0</modelVersion><groupId>acme</groupId><artifactId>${name}</artifactId><version>1</version></project>\n`;
const java = (service: string, name: string) => `${service}/src/main/java/com/acme/${service}/${name}.java`;
const head = (service: string, imports = '') => `package com.acme.${service};\n${imports}\n`;

/** The per-item calls of a service: where the loop is, what it reaches, and the call site it reaches through. */
const looped = (model: RepoModel, service: string) =>
  model.services
    .find((s) => s.name === service)!
    .facts.calls.filter((c) => c.inLoop)
    .map((c) => ({ at: `${c.location.file}:${c.location.line}`, target: c.target, via: c.via ? `${c.via.file}:${c.via.line}` : null }))
    .sort((a, b) => (a.at < b.at ? -1 : 1));

describe('join/loops: per-item calls through a method of another class (Java)', () => {
  const mediaClient = `${head('product', 'import org.springframework.web.client.RestClient;')}
public class MediaService {
  private final RestClient restClient;
  MediaService(RestClient restClient) { this.restClient = restClient; }

  public MediaVm getMedia(Long id) {
    return restClient.get().uri("http://media:8080/medias/" + id).retrieve().body(MediaVm.class);
  }

  public String cacheKey(Long id) { return "media-" + id; }
}
`;

  it('a wrapper called in a for loop and in a stream lambda gives a per-item call to the wrapper\'s target at each loop; once outside a loop, or a method that calls nothing, gives none', async () => {
    const model = await scan(
      repo({
        'compose.yaml': compose(['product', 'media']),
        'product/pom.xml': pom('product'),
        'media/pom.xml': pom('media'),
        [java('product', 'MediaService')]: mediaClient,
        [java('product', 'ProductService')]: `${head('product')}
@Service
@RequiredArgsConstructor
public class ProductService {
  private final MediaService mediaService;

  public List<Vm> related(List<Product> products) {
    List<Vm> out = new ArrayList<>();
    for (Product p : products) {
      out.add(new Vm(p, mediaService.getMedia(p.getImageId())));
    }
    return out;
  }

  public List<Vm> checkout(List<Product> products) {
    return products.stream().map(p -> new Vm(p, mediaService.getMedia(p.getImageId()))).toList();
  }

  public Vm one(Product p) { return new Vm(p, mediaService.getMedia(p.getImageId())); }

  public List<String> keys(List<Product> products) {
    List<String> out = new ArrayList<>();
    for (Product p : products) out.add(mediaService.cacheKey(p.getImageId()));
    return out;
  }
}
`,
      }),
    );
    const via = `${java('product', 'MediaService')}:9`;
    expect(looped(model, 'product')).toEqual([
      { at: `${java('product', 'ProductService')}:12`, target: 'media', via },
      { at: `${java('product', 'ProductService')}:18`, target: 'media', via },
    ]);
    // The derived paths are not call sites: the edge counts the one call in the wrapper.
    expect(model.edges.find((e) => e.from === 'product' && e.to === 'media')?.calls).toBe(1);
  });

  it('an interface resolves to its implementation in the service; a Feign interface method called per item is a per-item call; a class of the same name in another service is not followed', async () => {
    const model = await scan(
      repo({
        'compose.yaml': compose(['product', 'media', 'search']),
        'product/pom.xml': pom('product'),
        'media/pom.xml': pom('media'),
        'search/pom.xml': pom('search'),
        [java('product', 'MediaApi')]: `${head('product')}public interface MediaApi { MediaVm getMedia(Long id); }\n`,
        [java('product', 'MediaApiClient')]: `${head('product', 'import org.springframework.web.client.RestTemplate;')}
public class MediaApiClient implements MediaApi {
  private final RestTemplate rest = new RestTemplate();
  public MediaVm getMedia(Long id) { return rest.getForObject("http://media:8080/medias/" + id, MediaVm.class); }
}
`,
        [java('product', 'StockClient')]: `${head('product')}
@FeignClient(name = "media", url = "http://media:8080")
public interface StockClient {
  @GetMapping("/stock/{id}")
  Stock stockOf(@PathVariable Long id);
}
`,
        [java('product', 'CatalogService')]: `${head('product')}
public class CatalogService {
  private final MediaApi media;
  private final StockClient stock;
  CatalogService(MediaApi media, StockClient stock) { this.media = media; this.stock = stock; }

  void load(List<Long> ids) {
    for (Long id : ids) { media.getMedia(id); }
    ids.forEach(id -> stock.stockOf(id));
  }
}
`,
        // search has its own MediaApi (no call in it) and loops over it: product's implementation is not search's.
        [java('search', 'MediaApi')]: `${head('search')}public interface MediaApi { MediaVm getMedia(Long id); }\n`,
        [java('search', 'Indexer')]: `${head('search')}
public class Indexer {
  private final MediaApi media;
  Indexer(MediaApi media) { this.media = media; }
  void index(List<Long> ids) { for (Long id : ids) { media.getMedia(id); } }
}
`,
      }),
    );
    expect(looped(model, 'product')).toEqual([
      { at: `${java('product', 'CatalogService')}:10`, target: 'media', via: `${java('product', 'MediaApiClient')}:6` },
      { at: `${java('product', 'CatalogService')}:11`, target: 'media', via: `${java('product', 'StockClient')}:6` },
    ]);
    expect(looped(model, 'search')).toEqual([]);
  });

  it('follows at most three methods; a recursion cycle terminates and reaches the call within the bound', async () => {
    const model = await scan(
      repo({
        'compose.yaml': compose(['product', 'media']),
        'product/pom.xml': pom('product'),
        'media/pom.xml': pom('media'),
        [java('product', 'MediaService')]: mediaClient,
        [java('product', 'Chain')]: `${head('product')}
public class Chain {
  private final MediaService media;
  Chain(MediaService media) { this.media = media; }
  void a(Long id) { b(id); }
  void b(Long id) { c(id); }
  void c(Long id) { media.getMedia(id); }
  void ping(Long id) { pong(id); }
  void pong(Long id) { ping(id); media.getMedia(id); }
  void idle(Long id) { idle(id); }
}
`,
        [java('product', 'Loops')]: `${head('product')}
public class Loops {
  private final Chain chain;
  Loops(Chain chain) { this.chain = chain; }
  void run(List<Long> ids) {
    for (Long id : ids) { chain.b(id); }
    for (Long id : ids) { chain.a(id); }
    for (Long id : ids) { chain.ping(id); }
    for (Long id : ids) { chain.idle(id); }
  }
}
`,
      }),
    );
    // b → c → getMedia: three methods; a → b → c → getMedia: four, beyond the bound; ping → pong → getMedia (and back to ping).
    expect(looped(model, 'product')).toEqual([
      { at: `${java('product', 'Loops')}:10`, target: 'media', via: `${java('product', 'MediaService')}:9` },
      { at: `${java('product', 'Loops')}:8`, target: 'media', via: `${java('product', 'MediaService')}:9` },
    ]);
  });

  it('a loop in a scheduled job serves no request: only the same loop in a request method is a per-item call', async () => {
    const model = await scan(
      repo({
        'compose.yaml': compose(['notify', 'account']),
        'notify/pom.xml': pom('notify'),
        'account/pom.xml': pom('account'),
        [java('notify', 'AccountClient')]: `${head('notify')}
@FeignClient(name = "account", url = "http://account:8080")
public interface AccountClient {
  @GetMapping("/accounts/{name}")
  String getAccount(@PathVariable String name);
}
`,
        [java('notify', 'Notifier')]: `${head('notify')}
public class Notifier {
  @Autowired
  private AccountClient client;

  @Scheduled(cron = "0 0 * * * *")
  public void nightly(List<String> names) { names.forEach(n -> client.getAccount(n)); }

  public void now(List<String> names) { names.forEach(n -> client.getAccount(n)); }
}
`,
      }),
    );
    expect(looped(model, 'notify')).toEqual([{ at: `${java('notify', 'Notifier')}:11`, target: 'account', via: `${java('notify', 'AccountClient')}:6` }]);
  });

  it('a call already made right in the loop is not counted twice', async () => {
    const model = await scan(
      repo({
        'compose.yaml': compose(['product', 'media']),
        'product/pom.xml': pom('product'),
        'media/pom.xml': pom('media'),
        [java('product', 'Direct')]: `${head('product', 'import org.springframework.web.client.RestTemplate;')}
public class Direct {
  private final RestTemplate rest = new RestTemplate();
  void run(List<Long> ids) { for (Long id : ids) { rest.getForObject("http://media:8080/medias/" + id, MediaVm.class); } }
}
`,
      }),
    );
    expect(looped(model, 'product')).toEqual([{ at: `${java('product', 'Direct')}:6`, target: 'media', via: null }]);
  });
});

describe('join/loops: per-item calls through a typed HttpClient class (C#)', () => {
  const csproj = '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n';
  const files = (controller: string) => ({
    'compose.yaml': compose(['ordering', 'basket']),
    'ordering/Ordering.csproj': csproj,
    'basket/Basket.csproj': csproj,
    'ordering/Services/BasketService.cs': `
public class BasketService(HttpClient httpClient) : IBasketService
{
    public async Task<Basket> GetBasketAsync(string id)
    {
        return await httpClient.GetFromJsonAsync<Basket>($"http://basket:8080/api/v1/basket/{id}");
    }
}
`,
    'ordering/Controllers/OrdersController.cs': controller,
  });

  it('a controller calling the typed client per item in foreach gives a per-item call to the client\'s target', async () => {
    const model = await scan(
      repo(
        files(`
public class OrdersController(IBasketService basket) : ControllerBase
{
    public async Task<IActionResult> Summary(string[] ids)
    {
        foreach (var id in ids) { await basket.GetBasketAsync(id); }
        return Ok();
    }
}
`),
      ),
    );
    expect(looped(model, 'ordering')).toEqual([{ at: 'ordering/Controllers/OrdersController.cs:6', target: 'basket', via: 'ordering/Services/BasketService.cs:6' }]);
  });

  it('a hosted background service looping over the typed client: no per-item call', async () => {
    const model = await scan(
      repo(
        files(`
public class BasketSweeper(IBasketService basket) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken token)
    {
        foreach (var id in new[] { "a", "b" }) { await basket.GetBasketAsync(id); }
    }
}
`),
      ),
    );
    expect(looped(model, 'ordering')).toEqual([]);
  });

  it('once outside a loop: no per-item call', async () => {
    const model = await scan(
      repo(
        files(`
public class OrdersController(IBasketService basket) : ControllerBase
{
    public async Task<IActionResult> One(string id) { await basket.GetBasketAsync(id); foreach (var x in new[] { 1 }) { Log(x); } return Ok(); }
}
`),
      ),
    );
    expect(model.services.find((s) => s.name === 'ordering')?.facts.calls.map((c) => c.target)).toEqual(['basket']);
    expect(looped(model, 'ordering')).toEqual([]);
  });
});
