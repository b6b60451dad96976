with orders as (

    select * exclude (ordered_at) from stg_orders

),

order_totals as (

    select
        order_id,
        count(*) as item_count,
        sum(quantity) as unit_count,
        sum(line_amount) as order_amount

    from stg_order_items

    group by order_id

),

order_refunds as (

    select
        order_id,
        sum(refund_amount) as refunded_amount

    from int_returned_lines

    group by order_id

),

order_gaps as (

    select * from int_order_gaps

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.order_date,
        orders.channel,
        orders.status,
        order_totals.item_count,
        order_totals.unit_count,
        order_totals.order_amount,
        coalesce(order_refunds.refunded_amount, 0) as refunded_amount,
        order_totals.order_amount - coalesce(order_refunds.refunded_amount, 0) as net_amount,
        order_gaps.order_number,
        order_gaps.days_since_previous_order,

        case
            when order_totals.order_amount < 50 then 'small'
            when order_totals.order_amount < 150 then 'medium'
            else 'large'
        end as basket_size

    from orders

    inner join order_totals
        on orders.order_id = order_totals.order_id

    left join order_refunds
        on orders.order_id = order_refunds.order_id

    left join order_gaps
        on orders.order_id = order_gaps.order_id

)

select * from final
