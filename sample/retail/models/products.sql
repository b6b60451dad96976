with products as (

    select * from stg_products

),

sold as (

    select
        product_id,
        sum(quantity) as units_sold,
        sum(line_amount) as revenue

    from int_sales_lines

    group by product_id

),

returned as (

    select
        product_id,
        sum(returned_quantity) as units_returned

    from int_returned_lines

    group by product_id

),

final as (

    select
        products.product_id,
        products.product_name,
        products.category,
        products.list_price,
        coalesce(sold.units_sold, 0) as units_sold,
        coalesce(sold.revenue, 0) as revenue,
        coalesce(returned.units_returned, 0) as units_returned,
        coalesce(returned.units_returned, 0) / nullif(sold.units_sold, 0) as return_rate,

        case
            when sold.units_sold is null then 'unsold'
            when coalesce(returned.units_returned, 0) / sold.units_sold >= 0.1 then 'review'
            else 'ok'
        end as return_status

    from products

    left join sold
        on products.product_id = sold.product_id

    left join returned
        on products.product_id = returned.product_id

)

select * from final
