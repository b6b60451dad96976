with customers as (

    select * from stg_customers

),

sales as (

    select
        customer_id,
        min(sold_on) as first_purchase_on,
        max(sold_on) as last_purchase_on,
        count(distinct case when channel in ('web', 'app') then sale_id end) as online_order_count,
        count(case when channel = 'store' then sale_id end) as store_purchase_count,
        sum(line_amount) as gross_revenue

    from int_sales_lines

    where customer_id is not null

    group by customer_id

),

refunds as (

    select
        customer_id,
        sum(refund_amount) as refunded_amount

    from int_returned_lines

    group by customer_id

),

gaps as (

    select
        customer_id,
        avg(days_since_previous_order) as average_days_between_orders

    from int_order_gaps

    group by customer_id

),

final as (

    select
        customers.customer_id,
        customers.customer_name,
        customers.country_code,
        customers.signed_up_on,
        sales.first_purchase_on,
        sales.last_purchase_on,
        coalesce(sales.online_order_count, 0) as online_order_count,
        coalesce(sales.store_purchase_count, 0) as store_purchase_count,
        coalesce(sales.gross_revenue, 0) as gross_revenue,
        coalesce(refunds.refunded_amount, 0) as refunded_amount,
        coalesce(sales.gross_revenue, 0) - coalesce(refunds.refunded_amount, 0) as net_revenue,
        round(gaps.average_days_between_orders, 1) as average_days_between_orders,

        case
            when sales.customer_id is null then 'no_purchase'
            when sales.online_order_count + sales.store_purchase_count >= 10 then 'loyal'
            when sales.online_order_count + sales.store_purchase_count >= 3 then 'regular'
            else 'occasional'
        end as customer_segment

    from customers

    left join sales
        on customers.customer_id = sales.customer_id

    left join refunds
        on customers.customer_id = refunds.customer_id

    left join gaps
        on customers.customer_id = gaps.customer_id

)

select * from final
