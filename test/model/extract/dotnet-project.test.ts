import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/dotnet-project.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);

const webApi = `<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <AssemblyName>Ordering.API</AssemblyName>
    <ContainerRepository>eshop/ordering-api</ContainerRepository>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.EntityFrameworkCore.SqlServer" Version="8.0.0" />
    <PackageReference Include="StyleCop.Analyzers" Version="1.1.118">
      <PrivateAssets>all</PrivateAssets>
    </PackageReference>
    <PackageReference Include="Polly" />
    <FrameworkReference Include="Microsoft.AspNetCore.App" />
  </ItemGroup>
  <ItemGroup>
    <ProjectReference Include="..\\..\\..\\BuildingBlocks\\EventBus\\EventBus.csproj" />
    <ProjectReference Include="$(MSBuildThisFileDirectory)../Ordering.Domain/Ordering.Domain.csproj" />
    <ProjectReference Include="..\\..\\..\\..\\..\\outside\\Outside.csproj" />
  </ItemGroup>
</Project>`;

describe('dotnet-project', () => {
  it('a web SDK project is an executable unit with its packages, project references and image', async () => {
    const facts = await run('src/Services/Ordering/Ordering.API/Ordering.API.csproj', webApi);
    expect(facts?.unit).toEqual({
      kind: 'dotnet',
      dir: 'src/Services/Ordering/Ordering.API',
      name: 'Ordering.API',
      executable: true,
      parent: null,
      modules: [],
      references: ['src/BuildingBlocks/EventBus', 'src/Services/Ordering/Ordering.Domain'],
      images: ['eshop/ordering-api'],
      location: { file: 'src/Services/Ordering/Ordering.API/Ordering.API.csproj', line: 1 },
    });
    expect(facts?.dependencies?.map((d) => [d.name, d.scope, d.location.line])).toEqual([
      ['Microsoft.EntityFrameworkCore.SqlServer', 'runtime', 8],
      ['StyleCop.Analyzers', 'build', 9],
      ['Polly', 'runtime', 12],
      ['Microsoft.AspNetCore.App', 'runtime', 13],
    ]);
  });

  it.for([
    ['<Project Sdk="Microsoft.NET.Sdk.Worker"></Project>', true],
    ['<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>', true],
    ['<Project Sdk="Microsoft.NET.Sdk"><Sdk Name="Aspire.AppHost.Sdk" Version="9.0.0" /></Project>', true],
    ['<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Library</OutputType></PropertyGroup></Project>', false],
    ['<Project Sdk="Microsoft.NET.Sdk"></Project>', false],
  ] as const)('%s → executable %s', async ([text, executable]) => {
    expect((await run('src/A/A.csproj', text))?.unit?.executable).toBe(executable);
  });

  it('a test project is no executable and its packages are test-scoped', async () => {
    const text = `<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup><ItemGroup>
      <PackageReference Include="Microsoft.NET.Test.Sdk" /><PackageReference Include="RabbitMQ.Client" /></ItemGroup></Project>`;
    const facts = await run('test/A.Tests/A.Tests.csproj', text);
    expect(facts?.unit?.executable).toBe(false);
    expect(facts?.dependencies?.map((d) => d.scope)).toEqual(['test', 'test']);
  });

  it('names the unit after the file when AssemblyName is absent or computed', async () => {
    expect((await run('src/Basket/Basket.API.csproj', '<Project Sdk="Microsoft.NET.Sdk.Web" />'))?.unit?.name).toBe('Basket.API');
    const computed = '<Project><PropertyGroup><AssemblyName>$(MSBuildProjectName).Host</AssemblyName></PropertyGroup></Project>';
    expect((await run('src/Basket/Basket.API.csproj', computed))?.unit?.name).toBe('Basket.API');
  });

  it('Directory.Build.props gives dependencies without a unit; Directory.Packages.props versions declare nothing', async () => {
    const build = await run('src/Directory.Build.props', '<Project><ItemGroup><PackageReference Include="Serilog" /></ItemGroup></Project>');
    expect(build?.unit).toBeUndefined();
    expect(build?.dependencies?.map((d) => d.name)).toEqual(['Serilog']);
    const central = await run('Directory.Packages.props', `<Project><ItemGroup>
      <PackageVersion Include="Polly" Version="8.0.0" />
      <GlobalPackageReference Include="Nerdbank.GitVersioning" Version="3.6" />
    </ItemGroup></Project>`);
    expect(central?.dependencies?.map((d) => [d.name, d.scope])).toEqual([['Nerdbank.GitVersioning', 'build']]);
  });

  it('packages.config lists packages; development dependencies are build-scoped', async () => {
    const facts = await run('src/Legacy/packages.config', `<?xml version="1.0" encoding="utf-8"?>
<packages>
  <package id="Newtonsoft.Json" version="13.0.1" targetFramework="net48" />
  <package id="Microsoft.Net.Compilers" version="2.0" developmentDependency="true" />
</packages>`);
    expect(facts?.dependencies?.map((d) => [d.name, d.scope, d.location.line])).toEqual([
      ['Newtonsoft.Json', 'runtime', 3],
      ['Microsoft.Net.Compilers', 'build', 4],
    ]);
  });

  it('a broken project is a diagnostic, not a crash', async () => {
    const facts = await run('src/A/A.csproj', '<Project Sdk="Microsoft.NET.Sdk.Web">\n<ItemGroup>\n<PackageReference Include="Polly">\n</Project>');
    expect(facts?.diagnostics?.[0]).toMatchObject({ file: 'src/A/A.csproj' });
  });

  it('reads only .NET manifests', async () => {
    expect(await run('src/A/pom.xml', webApi)).toBeNull();
    expect(await run('src/A/A.sln', webApi)).toBeNull();
  });
});
