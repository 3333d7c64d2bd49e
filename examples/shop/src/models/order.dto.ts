import { IsArray, IsISO8601, IsNumber, IsString, Min } from 'class-validator';
import { PersonalData } from '@privacy-kit/core';

/** One line of an order. */
export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** An order: the purchase history of a customer, kept for ten years for accounting. */
export class Order {
  @IsString()
  id!: string;

  @PersonalData({ category: 'user.unique_id' })
  @IsString()
  customerId!: string;

  @PersonalData({ category: 'user.behavior.purchase_history', retention: '10y' })
  @IsArray()
  lines!: OrderLine[];

  @IsNumber()
  @Min(0)
  total!: number;

  @PersonalData({ category: 'user.contact.address.street', retention: '10y', encrypt: true })
  @IsString()
  shipTo!: string;

  @IsISO8601()
  placedAt!: string;
}
