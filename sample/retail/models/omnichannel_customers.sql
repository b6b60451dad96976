with online_buyers as (

    select customer_id from int_sales_lines

    where channel in ('web', 'app')

),

store_buyers as (

    select customer_id from int_sales_lines

    where channel = 'store'

),

both_channels as (

    select customer_id from online_buyers

    intersect

    select customer_id from store_buyers

),

final as (

    select
        customers.customer_id,
        customers.customer_name,
        customers.country_code,
        customers.online_order_count,
        customers.store_purchase_count,
        customers.net_revenue

    from both_channels

    inner join customers
        on both_channels.customer_id = customers.customer_id

)

select * from final
