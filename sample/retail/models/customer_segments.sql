with customers as (

    select * from customers

),

segments as (

    select
        customer_segment,
        count(*) as customer_count,
        sum(online_order_count) as online_order_count,
        sum(store_purchase_count) as store_purchase_count,
        sum(net_revenue) as net_revenue,
        round(avg(net_revenue), 2) as average_net_revenue

    from customers

    group by customer_segment

)

select * from segments
