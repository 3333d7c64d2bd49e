import type { Request } from 'express';
import { PersonalData } from '@privacy-kit/core';
import { Get, privacyInfo } from '@privacy-kit/express';
import type { ShopData } from '../data/shop-data';
import { Order } from '../models/order.dto';

/** Orders, written as a decorated controller (mounted with mountController). */
export class OrdersController {
  constructor(private readonly data: ShopData) {}

  /** The caller's own orders. */
  @Get('/me/orders')
  @PersonalData({ models: [Order], purpose: 'essential.service', basis: 'contract', retention: '10y', recipients: ['Parcel carrier (delivery)'] })
  async myOrders(req: Request): Promise<{ orders: Order[] }> {
    return { orders: await this.data.ordersOf(privacyInfo(req).subject as string) };
  }
}
