with sales_lines as (

    select * from int_sales_lines

),

by_channel as (

    select
        channel,
        count(distinct sale_id) as sale_count,
        count(distinct customer_id) as known_customer_count,
        sum(quantity) as units_sold,
        sum(line_amount) as revenue

    from sales_lines

    group by channel

),

refunds as (

    select
        channel,
        sum(refund_amount) as refunded_amount

    from int_returned_lines

    group by channel

),

final as (

    select
        by_channel.channel,
        by_channel.sale_count,
        by_channel.known_customer_count,
        by_channel.units_sold,
        by_channel.revenue,
        coalesce(refunds.refunded_amount, 0) as refunded_amount,
        round(by_channel.revenue / by_channel.sale_count, 2) as average_sale_amount

    from by_channel

    left join refunds
        on by_channel.channel = refunds.channel

)

select * from final
