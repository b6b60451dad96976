with orders as (

    select
        order_id,
        customer_id,
        channel,
        ordered_at,
        order_date

    from stg_orders

    where status <> 'cancelled'

),

numbered as (

    select
        *,
        row_number() over (partition by customer_id order by ordered_at) as order_number,
        lag(order_date) over (partition by customer_id order by ordered_at) as previous_order_date

    from orders

)

select
    *,
    date_diff('day', previous_order_date, order_date) as days_since_previous_order

from numbered
