/**
 * The environment the tests load the configuration with: every required
 * variable, with a harmless value. Generators that add required settings
 * (`arch add-producer`, `arch add-consumer`, …) add theirs here.
 */
export const testEnv = {
  DATABASE_URL: 'postgres://postgres@localhost:5432/payments',
  RABBITMQ_URL: 'amqp://localhost:5672',
};
