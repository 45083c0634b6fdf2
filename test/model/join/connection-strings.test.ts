import { describe, expect, it } from 'vitest';
import { parseConnectionString } from '../../../src/model/join/connection-strings.js';

describe('parseConnectionString', () => {
  it.for([
    // URLs
    ['postgres://orders:secret@orders-db:5432/orders?sslmode=disable', 'postgres', 'orders-db', 'orders'],
    ['postgresql://pg/inventory', 'postgres', 'pg', 'inventory'],
    ['postgresql+asyncpg://u:p@db:5432/app', 'postgres', 'db', 'app'],
    ['mysql://root@MySQL:3306/shop', 'mysql', 'mysql', 'shop'],
    ['mariadb://db/wiki', 'mariadb', 'db', 'wiki'],
    ['mongodb://nosqldata', 'mongodb', 'nosqldata', ''],
    ['mongodb://u:p@mongo1:27017,mongo2:27017/catalog?replicaSet=rs0', 'mongodb', 'mongo1', 'catalog'],
    ['mongodb+srv://cluster0.example.net/users', 'mongodb', 'cluster0.example.net', 'users'],
    ['redis://cache:6379/0', 'redis', 'cache', '0'],
    ['sqlserver://sql:1433;databaseName=Billing;encrypt=false', 'sqlserver', 'sql', 'Billing'],
    ['postgres://${DB_HOST:localhost}:5432/${DB_NAME}', 'postgres', '${DB_HOST:localhost}', '${DB_NAME}'],
    // JDBC
    ['jdbc:postgresql://postgres:5432/product', 'postgres', 'postgres', 'product'],
    ['jdbc:postgresql://pg1,pg2/orders?targetServerType=primary', 'postgres', 'pg1', 'orders'],
    ['jdbc:mysql://mysql/ftgo?useSSL=false', 'mysql', 'mysql', 'ftgo'],
    ['jdbc:mysql:loadbalance://m1:3306,m2:3306/shop', 'mysql', 'm1', 'shop'],
    ['jdbc:mysql://${DB_HOST:localhost}:3306/accounts', 'mysql', '${DB_HOST:localhost}', 'accounts'],
    ['jdbc:mariadb://maria:3306/app', 'mariadb', 'maria', 'app'],
    ['jdbc:sqlserver://sqldb:1433;databaseName=Orders;user=sa', 'sqlserver', 'sqldb', 'Orders'],
    ['jdbc:jtds:sqlserver://legacy:1433/Payroll', 'sqlserver', 'legacy', 'Payroll'],
    ['jdbc:oracle:thin:@//ora:1521/SALES', 'other', 'ora', 'SALES'],
    ['jdbc:oracle:thin:@ora-host:1521:ORCL', 'other', 'ora-host', 'ORCL'],
    ['jdbc:sqlite:data/app.db', 'sqlite', '', 'data/app.db'],
    // ADO.NET key/value
    ['Server=sqldata;Database=Microsoft.Services.OrderingDb;User Id=sa;Password=Pass@word', 'sqlserver', 'sqldata', 'Microsoft.Services.OrderingDb'],
    ['Data Source=tcp:sqldata,1433;Initial Catalog=CatalogDb;User Id=sa;', 'sqlserver', 'sqldata', 'CatalogDb'],
    ['server=SQLSERVER\\INST;user id=sa;database=Invoicing;TrustServerCertificate=true', 'sqlserver', 'sqlserver', 'Invoicing'],
    ['Server=(localdb)\\mssqllocaldb;Database=Dev;Trusted_Connection=True', 'sqlserver', '(localdb)\\mssqllocaldb', 'Dev'],
    ['Host=postgres;Port=5432;Database=catalog;Username=app;Password=x', 'postgres', 'postgres', 'catalog'],
    ['Host=pg;Database=basket', 'postgres', 'pg', 'basket'],
    ['Server=mysql;Port=3306;Database=orders;Uid=root;Pwd=x', 'mysql', 'mysql', 'orders'],
    ['Data Source=app.db', 'sqlite', '', 'app.db'],
    ['Server="quoted-host";Database="Quoted"', 'sqlserver', 'quoted-host', 'Quoted'],
    // StackExchange.Redis
    ['basketdata:6379,abortConnect=false', 'redis', 'basketdata', ''],
  ])('%s → %s %s %s', ([value, engine, host, database]) => {
    expect(parseConnectionString(value!)).toEqual({ engine, host, database });
  });

  it('a hint decides what the key/value form leaves open', () => {
    expect(parseConnectionString('Server=db;Database=shop;User=root', 'mysql')).toEqual({ engine: 'mysql', host: 'db', database: 'shop' });
    expect(parseConnectionString('Server=db;Database=shop;User=root')?.engine).toBe('sqlserver');
    expect(parseConnectionString('basketdata', 'redis')).toEqual({ engine: 'redis', host: 'basketdata', database: '' });
  });

  it.for([
    [''],
    ['jdbc:h2:mem:testdb'],
    ['Data Source=:memory:'],
    ['Data Source=InMemorySample;Mode=Memory;Cache=Shared'],
    ['basketdata'],
    ['http://not-a-database'],
    ['just some words'],
    ['Password=only'],
  ])('%j names no database', ([value]) => {
    expect(parseConnectionString(value!)).toBeNull();
  });
});
